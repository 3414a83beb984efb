import { didYouMean } from '../../common/suggest.js';
import { createAgentToken } from '../site-agents/tokens.js';
import { auditCli } from './grant-options.js';
import { CommandError, loadEstate, WHERE_OPTIONS, whereOf, withStore } from './store.js';
import { iso, table } from './table.js';
import { parseCommand, UsageError } from './usage.js';

type Out = (line: string) => void;

/** list and revoke work on tokens already made: they never make a database. */
const EXISTING = { create: false } as const;

/**
 * `vantage token create --site SITE | list | revoke ID`, on the same database and estate file as
 * `serve` (which may be running: SQLite lets both in, and the server reads tokens on every request).
 */
export async function tokenCommand(args: string[], out: Out, err: Out): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseCommand(
    `token ${action ?? ''}`.trim(),
    rest,
    {
      site: { type: 'string' },
      label: { type: 'string' },
      ...WHERE_OPTIONS,
    },
    action === 'revoke' ? 1 : 0,
  );
  const { dbFile, configFile } = whereOf(values);

  try {
    switch (action) {
      case 'create': {
        if (!values.site)
          throw new UsageError('vantage token create: give the site the agent runs at: --site SITE');
        const estate = loadEstate(configFile, err, 'a token is made only for a site it lists');
        const site = values.site;
        const sites = estate.sites.map((s) => s.id);
        if (!sites.includes(site)) {
          throw new CommandError(
            `no site '${values.site}' in ${configFile}${didYouMean(values.site, sites)}`,
          );
        }
        await withStore(dbFile, async (store) => {
          const at = Date.now();
          const issued = await createAgentToken(store.agents, { site, label: values.label ?? null, at });
          await auditCli(store, {
            action: 'agent-token-created',
            subject: issued.id,
            detail: { site, label: values.label ?? null },
            at,
          });
          out(issued.token);
          err(
            `token ${issued.id} made for site '${values.site}'. It is shown once: keep it as a secret where the agent runs, e.g.\n` +
              `  vantage agent --server https://vantage.example.org --token ${issued.token}`,
          );
        });
        return 0;
      }
      case 'list': {
        await withStore(
          dbFile,
          async (store) => {
            const tokens = await store.agents.tokens();
            if (tokens.length === 0) {
              out('no agent tokens yet: make one with vantage token create --site SITE');
              return 0;
            }
            const rows = tokens.map((t) => [
              t.id,
              t.site,
              t.revokedAt === null ? 'live' : `revoked ${iso(t.revokedAt)}`,
              iso(t.createdAt),
              t.lastUsedAt === null ? 'never' : iso(t.lastUsedAt),
              t.label ?? '',
            ]);
            for (const line of table(['ID', 'SITE', 'STATE', 'CREATED', 'LAST USED', 'LABEL'], rows))
              out(line);
          },
          EXISTING,
        );
        return 0;
      }
      case 'revoke': {
        const id = positionals[0];
        if (!id)
          throw new UsageError('vantage token revoke: give the id of the token (see vantage token list)');
        await withStore(
          dbFile,
          async (store) => {
            const token = await store.agents.token(id);
            if (!token) throw new CommandError(`no token with id '${id}' (see vantage token list)`);
            if (token.revokedAt !== null) {
              out(`token ${id} was already revoked at ${iso(token.revokedAt)}`);
              return 0;
            }
            const at = Date.now();
            await store.agents.revokeToken(id, at);
            await auditCli(store, {
              action: 'agent-token-revoked',
              subject: id,
              detail: { site: token.site },
              at,
            });
            out(`token ${id} (site '${token.site}') revoked: the server refuses it from now on`);
          },
          EXISTING,
        );
        return 0;
      }
      default:
        throw new UsageError(
          action === undefined
            ? 'vantage token: say create, list or revoke'
            : `vantage token: unknown action '${action}'${didYouMean(action, ['create', 'list', 'revoke'])}`,
        );
    }
  } catch (error) {
    if (error instanceof CommandError) {
      err(`vantage token ${action}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
