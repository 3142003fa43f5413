// Where each dialect's committed migrations live, and which of them a database must have recorded to be ready.
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export const migrationsTable = '__drizzle_migrations';
/** drizzle's PostgreSQL migrator keeps its table in this schema. */
export const pgMigrationsSchema = 'drizzle';

export function migrationsFolder(dialect: 'sqlite' | 'pg'): string {
  return fileURLToPath(new URL(`./${dialect}/migrations`, import.meta.url));
}

/**
 * True when every migration in the folder is recorded. drizzle decides "applied" by the journal's `when`
 * (stored as created_at), not by hash, so this checks the same thing its migrator would skip on.
 */
export function allMigrationsRecorded(folder: string, recordedCreatedAt: Iterable<unknown>): boolean {
  const recorded = new Set<number>();
  for (const value of recordedCreatedAt) recorded.add(Number(value));
  return readMigrationFiles({ migrationsFolder: folder }).every((m) => recorded.has(m.folderMillis));
}
