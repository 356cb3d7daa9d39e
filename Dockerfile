# Aftershock server image. Build: docker build -t aftershock .   Run with DATABASE_URL (see docker-compose.yml).
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
COPY src ./src
COPY web ./web
COPY bin ./bin
COPY bench ./bench
COPY data ./data
# postinstall bundles dist/ and web/dist/
RUN npm ci --no-audit --no-fund && npm cache clean --force
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/main.js"]
