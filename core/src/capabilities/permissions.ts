// The closed list of permissions: the `$defs/permission` enums of schemas/capabilities/*.schema.json.
import { readdirSync, readFileSync } from 'node:fs';
import { schemaPath } from '../schema/paths.ts';

let known: string[] | undefined;

export function knownPermissions(): string[] {
  known ??= readdirSync(schemaPath('capabilities'))
    .filter((file) => file.endsWith('.schema.json'))
    .flatMap((file) => {
      const schema = JSON.parse(readFileSync(schemaPath(`capabilities/${file}`), 'utf8')) as { $defs?: { permission?: { enum?: string[] } } };
      return schema.$defs?.permission?.enum ?? [];
    })
    .sort();
  return known;
}
