// drizzle-kit settings for the SQLite schema; `npm run db:generate` writes the migrations the store applies.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './core/src/store/sqlite/schema.ts',
  out: './core/src/store/sqlite/migrations',
});
