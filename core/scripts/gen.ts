// `npm run gen`: writes every generated file. A test fails when a committed one is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { generatedFiles } from './generated-files.ts';

const root = new URL('../../', import.meta.url);
for (const file of generatedFiles) {
  const target = new URL(file.path, root);
  mkdirSync(new URL('.', target), { recursive: true });
  writeFileSync(target, await file.render());
  console.log(`wrote ${file.path}`);
}
