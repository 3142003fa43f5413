// After tsc: what tsc leaves undone in dist/.
// - Declaration files keep the sources' `./x.ts` imports (tsc rewrites them only in .js); a consumer's TypeScript
//   needs `./x.js`, which it resolves to the `./x.d.ts` beside it.
// - The in-isolate runtime is plain JavaScript that runs inside the sandbox, not a module tsc compiles: copied as is.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
for (const file of walk(dist).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/(from\s+['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2'));
}
cpSync(path.join(root, 'src', 'runtime'), path.join(dist, 'runtime'), { recursive: true });
