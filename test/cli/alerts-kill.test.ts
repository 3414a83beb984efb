import { afterEach, describe, expect, it } from 'vitest';
import { agentEstateIn, pushAgentRun, threeSiteEstate } from '../helpers/agent-alerts.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const running: ServerProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL');
});

interface Listed {
  items: { id: string; state: string; responsible: { organisation: string }; timeline: { kind: string }[] }[];
}

describe('alerts across kill -9', () => {
  it('neither forgets nor reopens an incident when the server is killed and started again', async () => {
    const { config, db, tokens } = await agentEstateIn(tmp(), threeSiteEstate);
    const args = ['--config', config, '--db', db, '--host', '127.0.0.1'];
    let server = await startCliServer(args);
    running.push(server);
    const base = Date.now() - 20 * 60_000;
    const push = async (site: string, minute: number, ok: boolean) => {
      const answer = await pushAgentRun(server.url, tokens[site], { site, base, minute, ok });
      expect(answer.status).toBe(200);
    };
    const minute = async (m: number, marshLaneOk: boolean) => {
      await push('st-annes', m, true);
      await push('north-wing', m, true);
      await push('marsh-lane', m, marshLaneOk);
    };
    const list = async (): Promise<Listed> => {
      const answer = await fetch(new URL('/api/v1/alerts?state=all', server.url), {
        headers: await server.adminHeaders(),
      });
      return (await answer.json()) as Listed;
    };
    for (let m = 0; m < 3; m++) await minute(m, false);
    // The rules run once the runs are stored, just after the agent is answered.
    const before = await until(list, (l) => l.items.length > 0);
    expect(before.items.map((i) => [i.state, i.responsible.organisation])).toEqual([['open', 'eastfield']]);

    expect(await server.stop('SIGKILL')).toBeNull();
    running.pop();
    server = await startCliServer(args);
    running.push(server);
    for (let m = 3; m < 6; m++) await minute(m, false);
    // A reopened incident would show within moments of the runs being stored: a second would be listed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await list();
    expect(after.items.map((i) => [i.id, i.state])).toEqual([[before.items[0]?.id, 'open']]);
    expect(after.items[0]?.timeline.filter((e) => e.kind === 'opened')).toHaveLength(1);
    for (let m = 6; m < 8; m++) await minute(m, true);
    const resolved = await until(list, (l) => l.items[0]?.state === 'resolved');
    expect(resolved.items.map((i) => [i.id, i.state])).toEqual([[before.items[0]?.id, 'resolved']]);
  });
});
