import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { londonDateOf } from '../../common/calendar.js';
import { parseEstate } from '../../server/config/load.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { campaignResults } from '../../server/survey/figures.js';
import type { StoredResponse } from '../../surveys/counts.js';
import { checkResponse } from '../../surveys/response.js';
import { cliPath } from '../helpers/cli.js';
import { formatRow, repeat, stats, timed } from './measure.js';

const SITES = 60;
const RESPONSES = 100_000;
const CLIENTS = 20;
const LOAD_SECONDS = 10;

function estateYaml(): string {
  const today = londonDateOf(Date.now());
  const organisations = Array.from(
    { length: 6 },
    (_, o) => `  - { id: org-${o}, name: Organisation ${o}, kind: acute }`,
  );
  const sites = Array.from(
    { length: SITES },
    (_, s) => `  - { id: site-${s}, name: Site ${s}, host: org-${s % 6} }`,
  );
  return `organisations:\n${organisations.join('\n')}
sites:\n${sites.join('\n')}
systems:
  - { id: epr, name: EPR, owner: org-0 }
  - { id: email, name: Email, owner: org-1 }
surveys:
  - { id: usability, title: IT usability survey, opens: 2020-01-01, closes: ${today.slice(0, 4)}-12-31, publish: live, systems: { epr: sus, email: umux-lite } }
settings:
  survey: { rateLimitPerMinute: 100000000 }
`;
}

/** A plausible response, varied by its number. */
function responseBody(i: number) {
  const r = (k: number) => 1 + ((i * 7 + k * 13) % 5);
  const site = (i * 31) % SITES;
  // Most answer at a site their own organisation hosts; one in seven works at a partner's.
  const organisation = i % 7 === 3 ? (site + 1 + (i % 5)) % 6 : site % 6;
  return {
    organisation: `org-${organisation}`,
    site: `site-${site}`,
    staffGroup: ['nursing', 'medical', 'admin', 'ahp', 'social-care', 'other'][
      (i * 5 + Math.floor(i / 6)) % 6
    ],
    answers: {
      epr: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`sus${k + 1}`, r(k)])),
      ...(i % 3 === 0 ? { email: { umux1: 1 + (i % 7), umux2: 1 + ((i * 3) % 7) } } : {}),
      infra: { 'infra.wifiEase': 1 + (i % 7), 'infra.fixedPromptly': r(11) },
    },
    ...(i % 7 === 0 ? { comments: 'Printing on ward 3 is slow; call 07700 900123.' } : {}),
  };
}

/**
 * Survey throughput: responses a second through POST /api/v1/surveys/:id/responses on a running
 * `vantage serve`, and the results by site of a campaign of 100,000 responses.
 */
export async function benchSurvey(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-survey-'));
  let server: ChildProcess | undefined;
  try {
    const config = join(dir, 'estate.yaml');
    writeFileSync(config, estateYaml());
    const parsed = parseEstate(estateYaml(), config, {});
    if (!parsed.ok) throw new Error('bench estate invalid');
    const estate = parsed.estate;
    const survey = estate.surveys[0];
    if (!survey) throw new Error('no survey');

    // 1. Submissions through the API of a real server process.
    const db = join(dir, 'serve.db');
    server = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--db', db, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const url = await new Promise<URL>((resolve, reject) => {
      let out = '';
      server?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(new URL('/api/v1/surveys/usability/responses', match[1]));
      });
      server?.once('exit', (code) => reject(new Error(`vantage serve exited with ${code}`)));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    let sent = 0;
    let failed = 0;
    const until = performance.now() + LOAD_SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until) {
          const status = await post(agent, url, JSON.stringify(responseBody(sent)));
          if (status === 201) sent += 1;
          else failed += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    console.log(
      `${'survey submissions, 20 clients at once'.padEnd(44)} ${Math.round(sent / seconds).toLocaleString('en-GB')}/s (${sent.toLocaleString('en-GB')} in ${seconds.toFixed(1)} s, ${failed} refused)   goal at least 500/s  ${sent / seconds >= 500 ? 'OK' : 'MISSED'}`,
    );
    server.kill('SIGTERM');

    // 2. Results by site of 100,000 responses.
    const store = SqliteStores.open(join(dir, 'results.db'));
    await store.estate.syncEstate(estate, Date.now());
    const loadStarted = performance.now();
    for (let from = 0; from < RESPONSES; from += 5_000) {
      const batch: StoredResponse[] = [];
      for (let i = from; i < from + 5_000; i++) {
        const checked = checkResponse(responseBody(i), survey, estate, '2026-11-02');
        if (checked.ok) batch.push(checked.response);
      }
      await store.survey.addResponses(batch);
    }
    console.log(
      `  ${RESPONSES.toLocaleString('en-GB')} responses stored in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
    );
    for (const by of ['site', 'organisation', 'staffGroup'] as const) {
      const samples = await repeat(5, () => timed(() => campaignResults(store.survey, survey, estate, by)));
      console.log(
        formatRow(
          { label: `results by ${by} of 100,000 responses`, ...(by === 'site' ? { goalMs: 300 } : {}) },
          stats(samples),
        ),
      );
    }
    await store.close();
  } finally {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function post(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
