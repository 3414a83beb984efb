import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '../../common/suggest.js';

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

/** Each command's own usage: all of them make the help, and a mistake in calling one prints its own. */
export const commandUsages = {
  serve: `  serve [--config FILE] [--db FILE] [--port N] [--host ADDR] [--demo]
        [--tls-cert FILE --tls-key FILE]
      Run the server: the API and the dashboard.
      --config  the estate file (default: vantage.yaml; with --demo, the bundled demo estate)
      --db      the SQLite database (default: data/vantage.db; with --demo, data/demo.db)
      --port    the port to listen on (default: 8080; 0 picks a free one)
      --host    the address to listen on (default: 127.0.0.1)
      --demo    run the bundled demo estate against simulated systems on 127.0.0.1;
                a new database gets 13 months of simulated history, marked as such
      --tls-cert, --tls-key  serve HTTPS with this PEM certificate (chain) and its
                unencrypted key; both or neither (behind a reverse proxy that
                ends TLS, neither, and list the proxy in settings.trustProxy);
                read again on SIGHUP, for a renewed certificate
`,
  'check-config': `  check-config FILE
      Validate an estate file. Exit 0 when valid; else exit 1 and print every
      error as FILE:LINE:COL: message.
`,
  probe: `  probe TYPE TARGET [--timeout 10s] [--json] [options]
      Run one check now and show how long each phase took. TYPE is http, tcp,
      dns or tls; the options are the estate file's check fields:
      --timeout D          give up after D (500ms, 30s, 1m; default 10s)
      --json               print the result object as JSON, and nothing else
      --degraded-ms N      ok but slower than N ms counts as degraded
      http, tls:  --insecure  --ca FILE  --servername NAME
      http:  --method M  --header "Name: value" (repeatable)  --body TEXT
             --expect-status 200,300-399  --expect-body TEXT  --expect-match REGEX
             --max-redirects N (0: do not follow)
      tcp:   --send TEXT (\\r, \\n and \\t understood)  --expect-banner TEXT
      dns:   --record A|AAAA|CNAME|MX|TXT  --server HOST[:PORT]
             --expect-answer TEXT (repeatable)
      tls:   --min-days N (fail when the certificate expires sooner)
      Exit 0 when ok or degraded, 1 when failed, 2 for a usage mistake.
`,
  token: `  token create --site SITE [--label TEXT] [--config FILE] [--db FILE] [--demo]
  token list [--db FILE]
  token revoke ID [--db FILE]
      Make, list and revoke the tokens agents present. A new token is printed
      once; only a hash of it is kept. A revoked token is refused at once.
      --config and --db are serve's (defaults vantage.yaml, data/vantage.db);
      list and revoke need the database to exist already.
`,
  user: `  user add EMAIL --role admin|partner|viewer [--organisation ORG]... [--name NAME]
  user list
  user remove EMAIL
  user role EMAIL --role ROLE [--organisation ORG]...
  user password EMAIL
      Local accounts, signing in with email and password. The password is read
      from standard input (one line) or typed twice at a terminal; never given
      as an argument. A partner acts for the organisations given (repeat
      --organisation), which the estate file must list. Removing a user,
      changing their role or password ends their sessions at once.
      --config, --db and --demo are serve's (defaults vantage.yaml, data/vantage.db);
      only add makes the database.
`,
  'api-token': `  api-token create --role ROLE [--organisation ORG]... [--label TEXT]
  api-token list
  api-token revoke ID
      Tokens for scripts and Prometheus, sent as Authorization: Bearer <token>,
      with a role as a person has. A new token is printed once; only a hash is
      kept; a revoked one is refused at once. --config, --db and --demo as user.
`,
  maintenance: `  maintenance add --title TEXT --start TIME --end TIME [--system ID]... [--site ID]...
                  [--check ID]... [--tag TAG]... [--config FILE] [--db FILE] [--demo]
  maintenance list [--from TIME] [--to TIME] [--config FILE] [--db FILE] [--demo]
  maintenance end ID [--config FILE] [--db FILE] [--demo]
      Ad hoc maintenance windows, for work not planned a file edit ahead: their
      time counts as maintenance, not up or down, for everything in scope. TIME
      is YYYY-MM-DDTHH:MM in London time (a time passed twice in October is the
      second, GMT one) or ISO 8601 with Z or an offset; at most 7 days long.
      list shows the estate file's windows and the ad hoc ones in the period
      (default the last 7 days) and those coming up; end ends one now.
      --config, --db and --demo are serve's. Audited as cli:<user>.
`,
  report: `  report create month 2026-11 | quarter 2026-Q4 | year 2026 [--config FILE] [--db FILE] [--demo]
  report list | show ID | reissue ID [--config FILE] [--db FILE] [--demo]
  report export ID [--format json|csv] [--table NAME] [--out FILE] [--db FILE] [--demo]
      Frozen reports of a month, quarter or year that is over: every figure as it
      stood when made, with its hash. Late results never change one; reissue makes
      a new version listing the figures that changed. export writes the stored
      JSON as it is, or CSV: one table (--table) or every table in a zip (--out).
      --config, --db and --demo are serve's. Made and reissued as cli:<user>.
`,
  agent: `  agent --server URL --token TOKEN [--outbox FILE] [--ca FILE] [--metrics-port N]
      Run the checks assigned to this token's site and send the results to the
      server. Connects outwards only. Results wait in the outbox (default
      data/agent-outbox.db) until the server has them, so nothing is lost while
      the server or the link is down; a restart carries on from it.
      --ca            trust this CA file for an https server
      --metrics-port  serve /metrics on 127.0.0.1:N (probe series, outbox depth)
      --max-age D     drop queued results older than D (default 7d)
      --max-mb N      drop the oldest queued results past N MB (default 500)
      --max-backoff D wait at most D between attempts to reach the server (default 30s)
`,
  survey: `  survey import ID FILE.csv [--config FILE] [--db FILE]
      Add responses gathered elsewhere (paper, assisted entry): a header row of
      organisation, site, staffGroup, date (optional), <system>.<item>,
      infra.<item> and comments columns. Each row is checked as the form checks
      it; one bad row stops the import, naming its line, with nothing stored.
  survey export ID [--by organisation|site|staffGroup|system] [--format csv|json]
                   [--config FILE] [--db FILE]
      Print the results, aggregated with small groups withheld; never a row
      per respondent, never free text.
      --config and --db are serve's (defaults vantage.yaml, data/vantage.db).
`,
} as const;

export type Command = keyof typeof commandUsages;

const commands = Object.keys(commandUsages) as Command[];

export const usage = `Usage: vantage <command> [options]

Commands:
${Object.values(commandUsages).join('')}  help, --help     Show this help.
  version, --version
`;

/**
 * What follows a usage mistake: the usage of the command it was made in, or for a command that
 * does not exist, the names of those that do. Never the whole help, which buries the one line.
 */
export function usageAfterMistake(command: string | undefined): string {
  if (command !== undefined && Object.hasOwn(commandUsages, command)) {
    return `Usage:\n${commandUsages[command as Command].replace(/^ {2}(?=\S)/gm, '  vantage ')}`;
  }
  return `Commands: ${commands.join(', ')}, help, version. See vantage help.\n`;
}
