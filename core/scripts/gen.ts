// `npm run gen`: writes every generated file. A test fails when a committed one is stale.
import { writeFileSync } from 'node:fs';
import { generatedFiles } from './generated-files.ts';

const root = new URL('../../', import.meta.url);
for (const file of generatedFiles) {
  writeFileSync(new URL(file.path, root), await file.render());
  console.log(`wrote ${file.path}`);
}
