// drizzle-kit settings for the PostgreSQL schema; `npm run db:generate` writes the migrations the store applies.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './core/src/store/pg/schema.ts',
  out: './core/src/store/pg/migrations',
});
