#!/usr/bin/env node
// `lianjie-plugin`: the plugin author's command line.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPlugin } from './build.ts';
import { initPlugin } from './init.ts';
import { packPlugin } from './pack.ts';
import { publishPlugin, submitPlugin } from './publish.ts';
import { readPluginDir } from './plugin-dir.ts';
import { testPlugin } from './test.ts';
import { writePluginTypes } from './types.ts';
import { validatePlugin } from './validate.ts';

const usage = `usage: lianjie-plugin <command> [dir]

commands:
  init <id>     a new plugin project in ./<id> (a reverse-domain id such as acme.birthday-reminder)
  types [dir]   write src/plugin-types.ts from plugin.json's schemas (for definePlugin<PluginTypes>)
  build [dir]   bundle src/index.ts into dist/plugin.js, with a source map and dist/plugin.js.sha256
  validate [dir]
                check plugin.json against the manifest schema, its engine range, and the bundle's handlers
                against its action and trigger ids; prints "ok: <id>@<version>" or one line per problem
  test [dir]    check plugin.json, then run test/**/*.test.ts and src/**/*.test.ts with Node's test runner
                (write them with @lianjie/sdk/testing)
  pack [dir]    validate, then write <id>-<version>.tgz: plugin.json, dist/plugin.js, its sha256, README.md
  publish [dir] --server <url> --token <vendor token>
                pack, then submit to a host's plugin registry for review (the token may come from
                LIANJIE_TOKEN instead)
  publish [dir] --to <plugins dir>
                pack, then unpack into <plugins dir>/<id>@<version>, where a host's installs can name it

dir defaults to the current folder.`;

export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, to: { type: 'string' }, server: { type: 'string' }, token: { type: 'string' } },
  });
  const [command, dirArg, ...extra] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 1;
  }
  if (extra.length > 0) throw new Error(`unexpected arguments: ${extra.join(' ')}`);
  if (command === 'init') {
    if (!dirArg) throw new Error('init needs the plugin id: lianjie-plugin init acme.birthday-reminder');
    const root = await initPlugin(dirArg, process.cwd());
    console.log(`created ${path.relative(process.cwd(), root)}: plugin.json, src/index.ts, src/actions/hello.ts, src/plugin-types.ts, test/hello.test.ts, package.json, tsconfig.json, README.md`);
    return 0;
  }
  const dir = readPluginDir(path.resolve(dirArg ?? '.'));
  switch (command) {
    case 'types': {
      const file = await writePluginTypes(dir);
      console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
      return 0;
    }
    case 'build': {
      console.log(`building ${dir.manifest.id}@${dir.manifest.version} …`);
      const built = await buildPlugin(dir);
      console.log(`wrote ${path.relative(process.cwd(), built.bundle)} (${built.bytes} bytes, sha256 ${built.sha256.slice(0, 12)}…)`);
      return 0;
    }
    case 'validate': {
      const problems = validatePlugin(dir);
      if (problems.length > 0) return reportProblems(dir, problems);
      const { manifest } = dir;
      console.log(`ok: ${manifest.id}@${manifest.version} (${manifest.actions.length} actions, ${manifest.triggers.length} triggers)`);
      return 0;
    }
    case 'test': {
      const tested = await testPlugin(dir, (line) => console.log(line));
      if (!tested.ok) return reportProblems(dir, tested.problems);
      return tested.exitCode;
    }
    case 'pack': {
      console.log(`packing ${dir.manifest.id}@${dir.manifest.version} …`);
      const packed = await packPlugin(dir);
      if (!packed.ok) return reportProblems(dir, packed.problems);
      console.log(`wrote ${path.relative(process.cwd(), packed.file)} (${packed.files.join(', ')})`);
      return 0;
    }
    case 'publish': {
      if (values.server !== undefined) {
        if (values.to !== undefined) throw new Error('publish takes --server or --to, not both');
        const token = values.token ?? process.env.LIANJIE_TOKEN;
        if (!token) throw new Error('publish --server needs --token <vendor token> (or LIANJIE_TOKEN)');
        const submitted = await submitPlugin(dir, values.server, token);
        if (!submitted.ok) return reportProblems(dir, submitted.problems);
        console.log(`submitted ${submitted.pluginId}@${submitted.version} to ${values.server}: ${submitted.status}, waiting for review`);
        return 0;
      }
      if (!values.to) throw new Error('publish needs --server <url> --token <token> (a host\'s registry) or --to <plugins dir>');
      const published = await publishPlugin(dir, path.resolve(values.to));
      if (!published.ok) return reportProblems(dir, published.problems);
      console.log(`published ${dir.manifest.id}@${dir.manifest.version} to ${published.target}`);
      return 0;
    }
    default:
      throw new Error(`unknown command "${command}"\n\n${usage}`);
  }
}

function reportProblems(dir: { root: string }, problems: readonly { pointer: string; message: string }[]): number {
  console.error(`lianjie-plugin: ${path.join(dir.root, 'plugin.json')} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  for (const p of problems) console.error(`  ${p.pointer}: ${p.message}`);
  return 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`lianjie-plugin: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
