// Prisma 7 reads the connection string from here. process.env, not env(): env() throws when the variable
// is unset, which would break `prisma generate` on a fresh checkout (the app itself never needs this file).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
