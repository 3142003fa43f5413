// The `lianjie` command line: dispatches to one file per subcommand.
import { eventsCommand } from './events.ts';
import { migrateCommand } from './migrate.ts';
import { reportFailure, type Command } from './command.ts';
import { serveCommand } from './serve.ts';

const commands: Command[] = [serveCommand, migrateCommand, eventsCommand];

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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`lianjie: unknown command "${name}"\n\n${overview()}`);
    return 1;
  }
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
