// The `lianjie` command line: dispatches to one file per subcommand, loading only the one that runs
// (the store and server modules take most of a second to load, too long for `--help`).
import { reportFailure, type Command } from './command.ts';

interface Entry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const commands: Entry[] = [
  { name: 'serve', summary: 'run the host: WeCom callbacks, inbox decoding, health and metrics', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'migrate', summary: 'apply database migrations (also done on every start)', load: async () => (await import('./migrate.ts')).migrateCommand },
  { name: 'events', summary: 'list stored canonical events', load: async () => (await import('./events.ts')).eventsCommand },
  { name: 'plugin', summary: 'run one action of a plugin directory in the sandbox (plugin invoke)', load: async () => (await import('./plugin.ts')).pluginCommand },
  { name: 'workflow', summary: 'check a workflow file against the host config\'s tenants and installed plugins, or store it as a new version', load: async () => (await import('./workflow.ts')).workflowCommand },
  { name: 'runs', summary: 'workflow runs: list, show a run\'s steps, cancel, replay its trigger', load: async () => (await import('./runs.ts')).runsCommand },
  { name: 'simulate', summary: 'a WeCom simulator in front of the host; make simulated customers arrive', load: async () => (await import('./simulate.ts')).simulateCommand },
  { name: 'demo', summary: 'with a host serving --simulate: apply the example workflows and make simulated customers arrive', load: async () => (await import('./demo.ts')).demoCommand },
  { name: 'inbox', summary: 'list stored callback envelopes: dead letters with their reason, or the backlog', load: async () => (await import('./inbox.ts')).inboxCommand },
];

function overview(): string {
  return ['usage: lianjie <command> [options]', '', 'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`), '', 'lianjie <command> --help shows a command\'s options.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name ? 0 : 1;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`lianjie: unknown command "${name}"\n\n${overview()}`);
    return 1;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    return reportFailure(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
