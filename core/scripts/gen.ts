// `npm run gen`: writes every generated file. Tests fail when a committed one is stale.
import { writeFileSync } from 'node:fs';
import { renderErrorTable } from '../src/error-table.ts';

const target = new URL('../../docs/errors.md', import.meta.url);
writeFileSync(target, renderErrorTable());
console.log('wrote docs/errors.md');
