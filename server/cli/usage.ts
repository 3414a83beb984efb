import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '../config/suggest.js';

/** A mistake in how a command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs, with mistakes turned into UsageErrors that say what was meant. */
export function parseCommand<O extends Options>(
  command: string,
  args: string[],
  options: O,
  positionals = 0,
) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`vantage ${command}: unexpected argument '${parsed.positionals[positionals]}'`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message;
    const unknown = /Unknown option '(--?[^']+)'/.exec(message);
    if (unknown?.[1]) {
      const names = Object.keys(options).map((name) => `--${name}`);
      throw new UsageError(
        `vantage ${command}: unknown option '${unknown[1]}'${didYouMean(unknown[1], names)}`,
      );
    }
    throw new UsageError(`vantage ${command}: ${message.split('\n')[0]}`);
  }
}

export const usage = `Usage: vantage <command> [options]

Commands:
  serve [--config FILE] [--db FILE] [--port N] [--host ADDR] [--demo]
      Run the server: the API and the dashboard.
      --config  the estate file (default: vantage.yaml; with --demo, the bundled demo estate)
      --db      the SQLite database (default: data/vantage.db; with --demo, data/demo.db)
      --port    the port to listen on (default: 8080; 0 picks a free one)
      --host    the address to listen on (default: 127.0.0.1)
      --demo    run the bundled demo estate against simulated systems on 127.0.0.1

  check-config FILE
      Validate an estate file. Exit 0 when valid; else exit 1 and print every
      error as FILE:LINE:COL: message.

  help, --help     Show this help.
  version, --version
`;
