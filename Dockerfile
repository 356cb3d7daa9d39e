# Aftershock server image. Build: docker build -t aftershock .   Run with DATABASE_URL (see docker-compose.yml).
# Two stages: the build stage installs the production dependencies (the postinstall bundles dist/ and web/dist/;
# what that bundle needs is in dependencies, so NODE_ENV=production npm ci works); the image keeps only what runs.
FROM node:22-bookworm-slim AS build
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
RUN npm ci --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/data ./data
COPY --from=build /app/web/public ./web/public
COPY --from=build /app/web/dist ./web/dist
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/main.js"]
