import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';

export const AGENT_SITES = ['st-annes', 'marsh-lane', 'north-wing'] as const;

/**
 * One system checked from three sites' agents: Marsh Lane failing alone is its host's (Eastfield's)
 * incident; all three, the owner's (Riverside's). Channels are added by the tests that send.
 */
export const threeSiteEstate = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: north-wing, name: North Wing, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-login, system: epr, type: http, target: "http://127.0.0.1:9/", every: 1h, timeout: 2s, from: [st-annes, marsh-lane, north-wing] }
`;

/**
 * The estate file and database in `dir`, with an agent token made for each site (by default the three
 * sites') before any server opens the file.
 */
export async function agentEstateIn(
  dir: string,
  estate: string,
  sites: readonly string[] = AGENT_SITES,
): Promise<{ config: string; db: string; tokens: Record<string, string> }> {
  const config = join(dir, 'estate.yaml');
  const db = join(dir, 'vantage.db');
  writeFileSync(config, estate);
  const store = SqliteStores.open(db);
  const tokens: Record<string, string> = {};
  for (const site of sites)
    tokens[site] = (await createAgentToken(store.agents, { site, label: null, at: Date.now() })).token;
  await store.close();
  return { config, db, tokens };
}

/**
 * Posts one run of `epr-login` as the site's agent would, `minute` minutes after `base`: up (200) or
 * refused.
 */
export function pushAgentRun(
  url: string,
  token: string | undefined,
  run: { site: string; base: number; minute: number; ok: boolean },
): Promise<Response> {
  const { site, base, minute, ok } = run;
  return fetch(new URL('/api/v1/agent/results', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      results: [
        {
          id: `${site}-${minute}`,
          checkId: 'epr-login',
          startedAt: new Date(base + minute * 60_000).toISOString(),
          ok,
          state: ok ? 'ok' : 'fail',
          phases: { dnsMs: 1, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 2000 },
          ...(ok ? { status: 200 } : { error: { class: 'refused', message: 'connection refused' } }),
        },
      ],
    }),
  });
}
