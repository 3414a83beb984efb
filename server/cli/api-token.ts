import { didYouMean } from '../../common/suggest.js';
import { createApiToken } from '../access/api-tokens.js';
import { auditCli, cliActor, grantFrom } from './grant-options.js';
import { CommandError, loadEstate, WHERE_OPTIONS, whereOf, withStore } from './store.js';
import { iso, table } from './table.js';
import { parseCommand, UsageError } from './usage.js';

type Out = (line: string) => void;

const ACTIONS = ['create', 'list', 'revoke'];
const EXISTING = { create: false } as const;

/**
 * `vantage api-token create|list|revoke`: tokens for scripts and scrapers (Prometheus), sent as
 * `Authorization: Bearer vap_…`, with a role like a person's. Only a hash of each is kept.
 */
export async function apiTokenCommand(args: string[], out: Out, err: Out): Promise<number> {
  const [action, ...rest] = args;
  const command = `api-token ${action ?? ''}`.trim();
  const { values, positionals } = parseCommand(
    command,
    rest,
    {
      role: { type: 'string' },
      organisation: { type: 'string', multiple: true },
      label: { type: 'string' },
      ...WHERE_OPTIONS,
    },
    action === 'revoke' ? 1 : 0,
  );
  const { dbFile, configFile } = whereOf(values);
  const estate = () => loadEstate(configFile, err, "a partner's organisations must be ones it lists");

  try {
    switch (action) {
      case 'create': {
        const grant = grantFrom(command, values, estate, configFile);
        const label = values.label?.trim() || null;
        await withStore(dbFile, async (store) => {
          const actor = cliActor();
          const at = Date.now();
          const made = await createApiToken(store.access, { ...grant, label, createdBy: actor, at });
          await auditCli(store, {
            action: 'api-token-created',
            subject: made.id,
            detail: { ...grant, label },
            at,
          });
          out(made.token);
          err(
            `API token ${made.id} made (${grant.role === 'partner' ? `partner for ${grant.organisations.join(', ')}` : grant.role}). ` +
              'It is shown once: keep it as a secret. Send it as Authorization: Bearer <token>; for Prometheus,\n' +
              'put it alone in a file only Prometheus can read and scrape with:\n' +
              '  - job_name: vantage\n' +
              '    scheme: https\n' +
              '    authorization:\n' +
              '      credentials_file: /etc/prometheus/vantage-token\n' +
              '    static_configs: [{ targets: [vantage.example.org] }]',
          );
        });
        return 0;
      }
      case 'list':
        await withStore(
          dbFile,
          async (store) => {
            const tokens = await store.access.apiTokens();
            if (tokens.length === 0) {
              out('no API tokens yet: make one with vantage api-token create --role ROLE');
              return;
            }
            const rows = tokens.map((t) => [
              t.id,
              t.role,
              t.organisations.join(',') || '-',
              t.revokedAt === null ? 'live' : `revoked ${iso(t.revokedAt)}`,
              iso(t.createdAt),
              t.lastUsedAt === null ? 'never' : iso(t.lastUsedAt),
              t.label ?? '',
            ]);
            const header = ['ID', 'ROLE', 'ORGANISATIONS', 'STATE', 'CREATED', 'LAST USED', 'LABEL'];
            for (const line of table(header, rows)) out(line);
          },
          EXISTING,
        );
        return 0;
      case 'revoke': {
        const id = positionals[0];
        if (!id)
          throw new UsageError(`vantage ${command}: give the id of the token (see vantage api-token list)`);
        await withStore(
          dbFile,
          async (store) => {
            const token = await store.access.apiToken(id);
            if (!token) throw new CommandError(`no API token with id '${id}' (see vantage api-token list)`);
            if (token.revokedAt !== null) {
              out(`API token ${id} was already revoked at ${iso(token.revokedAt)}`);
              return;
            }
            const at = Date.now();
            await store.access.revokeApiToken(id, at);
            await auditCli(store, {
              action: 'api-token-revoked',
              subject: id,
              detail: { role: token.role, label: token.label },
              at,
            });
            out(`API token ${id} revoked: the server refuses it from now on`);
          },
          EXISTING,
        );
        return 0;
      }
      default:
        throw new UsageError(
          action === undefined
            ? `vantage api-token: say ${ACTIONS.join(', ')}`
            : `vantage api-token: unknown action '${action}'${didYouMean(action, ACTIONS)}`,
        );
    }
  } catch (error) {
    if (error instanceof CommandError) {
      err(`vantage ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
