import { formatConfigError, loadEstateFile } from '../config/load.js';
import { parseCommand, UsageError } from './usage.js';

export function checkConfigCommand(args: string[], out: (line: string) => void): number {
  const { positionals } = parseCommand('check-config', args, {}, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('vantage check-config: name the estate file to check');
  const result = loadEstateFile(file);
  if (!result.ok) {
    for (const error of result.errors) out(formatConfigError(error));
    return 1;
  }
  const e = result.estate;
  out(
    `${file}: valid (${e.organisations.length} organisations, ${e.sites.length} sites, ` +
      `${e.systems.length} systems, ${e.checks.length} checks, ${e.principles.length} principles, ` +
      `${e.channels.length} channels, ${e.surveys.length} surveys)`,
  );
  return 0;
}
