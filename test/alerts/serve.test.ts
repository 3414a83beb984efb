import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../server/alerts/message.js';
import { agentEstateIn, pushAgentRun, threeSiteEstate } from '../helpers/agent-alerts.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { serveLoopback } from '../helpers/serve-loopback.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

/** What the outbox's dispatcher sent, as a channel that accepts everything would receive it. */
class Receiver {
  readonly sent: { channelId: string; message: AlertMessage }[] = [];
  readonly send = async (channelId: string, message: AlertMessage) => {
    this.sent.push({ channelId, message });
    return { ok: true as const };
  };
}

const tmp = useTmpDir();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const estate = `${threeSiteEstate}channels:
  - { id: eastfield-it, organisation: eastfield, type: email, to: [it@eastfield.example.org] }
  - { id: riverside-it, organisation: riverside, type: email, to: [it@riverside.example.org] }
settings: { smtp: { host: 127.0.0.1, port: 2525, from: vantage@example.org } }
`;

describe('alerts in the running server', () => {
  it('opens an incident from an agent’s results, tells its host, and keeps it (and its links) over a restart', async () => {
    const { config, db, tokens } = await agentEstateIn(tmp(), estate);
    const start = async (receiver: Receiver) => {
      const server = await serveLoopback(config, db, { sendNotification: receiver.send });
      cleanups.push(() => server.close());
      return server;
    };
    const notifier = new Receiver();
    const server = await start(notifier);
    let current = server.url;
    const base = Date.now() - 10 * 60_000;
    const push = (site: string, minute: number, ok: boolean) =>
      pushAgentRun(current, tokens[site], { site, base, minute, ok });
    for (let minute = 0; minute < 3; minute++) {
      expect((await push('st-annes', minute, true)).status).toBe(200);
      expect((await push('north-wing', minute, true)).status).toBe(200);
      expect((await push('marsh-lane', minute, false)).status).toBe(200);
    }
    const headers = await apiTokenIn(db);
    const list = async (url = server.url) =>
      (await (await fetch(new URL('/api/v1/alerts', url), { headers })).json()) as {
        items: { id: string; title: string; responsible: { organisation: string } }[];
      };
    const { items } = await list();
    expect(items).toHaveLength(1);
    expect(items[0]?.responsible.organisation).toBe('eastfield');
    expect(items[0]?.title).toMatch(/^Marsh Lane Centre: Electronic patient record unreachable since/);
    // Stored in the outbox, then sent by its dispatcher, and where it went is in the incident's timeline.
    await until(
      async () => notifier.sent.length,
      (count) => count > 0,
    );
    expect(notifier.sent.map((s) => [s.channelId, s.message.event])).toEqual([['eastfield-it', 'opened']]);
    const delivered = await until(
      async () => {
        const answer = await fetch(new URL(`/api/v1/alerts/${items[0]?.id}`, server.url), { headers });
        return (await answer.json()) as { timeline: { kind: string; detail: Record<string, unknown> }[] };
      },
      (incident) => incident.timeline.some((e) => e.kind === 'delivered'),
    );
    expect(delivered.timeline.find((e) => e.kind === 'delivered')?.detail).toEqual({
      event: 'opened',
      channel: 'eastfield-it',
      delivered: true,
      attempts: 1,
    });
    const ackUrl = notifier.sent[0]?.message.alert.ackUrl as string;
    expect(ackUrl.startsWith(server.url)).toBe(true);
    expect(statSync(`${db}.alert-key`).mode & 0o077).toBe(0);

    await server.close();
    cleanups.pop();
    const again = new Receiver();
    const restarted = await start(again);
    current = restarted.url;
    expect((await list(restarted.url)).items.map((i) => i.id)).toEqual([items[0]?.id]);
    // The key is kept: a link sent before the restart still opens its confirm page.
    const link = new URL(ackUrl);
    const page = await fetch(new URL(`${link.pathname}${link.search}`, restarted.url));
    expect(page.status).toBe(200);
    await push('marsh-lane', 3, false).then((r) => expect(r.status).toBe(200));
    expect(again.sent).toEqual([]);
  });
});
