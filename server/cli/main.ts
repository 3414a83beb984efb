#!/usr/bin/env node
import { streamLogger } from '../../common/logger.js';
import { packageVersion } from '../paths.js';
import { UsageError, usage, usageAfterMistake } from './usage.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  switch (command) {
    // Each command loads only what it needs: check-config never pays for Express or SQLite.
    case 'serve':
      return (await import('./serve.js')).serveCommand(args, streamLogger());
    case 'check-config':
      return (await import('./check-config.js')).checkConfigCommand(args, out);
    case 'probe':
      return (await import('./probe.js')).probeCommand(args, out);
    case 'token':
      return (await import('./token.js')).tokenCommand(args, out, (line) =>
        process.stderr.write(`${line}\n`),
      );
    case 'user':
      return (await import('./user.js')).userCommand(args, out, (line) => process.stderr.write(`${line}\n`));
    case 'api-token':
      return (await import('./api-token.js')).apiTokenCommand(args, out, (line) =>
        process.stderr.write(`${line}\n`),
      );
    case 'maintenance':
      return (await import('./maintenance.js')).maintenanceCommand(args, out, (line) =>
        process.stderr.write(`${line}\n`),
      );
    case 'report':
      return (await import('./report.js')).reportCommand(args, out, (line) =>
        process.stderr.write(`${line}\n`),
      );
    case 'survey':
      return (await import('./survey.js')).surveyCommand(args, out, (line) =>
        process.stderr.write(`${line}\n`),
      );
    case 'agent':
      return (await import('./agent.js')).agentCommand(args, streamLogger());
    case 'version':
    case '--version':
    case '-v':
      out(packageVersion());
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`vantage: unknown command '${command}'`);
  }
}

// Output piped into a program that stops reading (head, grep -q) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usageAfterMistake(process.argv[2])}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`vantage: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
