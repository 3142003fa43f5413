// `npm run bench -- <name>` runs test/bench/<name>.ts; with no name, lists the benchmarks.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const [name, ...args] = process.argv.slice(2);

if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\nbenchmarks: ${names.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const bench = (await import(`./${name}.bench.ts`)) as { main(args: string[]): Promise<void> };
await bench.main(args);
