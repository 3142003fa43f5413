// Where the project's JSON Schema contracts live on disk (the repo's schemas/ folder).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const schemasDir = fileURLToPath(new URL('../../../schemas/', import.meta.url));

export function schemaPath(relative: string): string {
  return path.join(schemasDir, relative);
}
