import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../server/reports/types.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { type AdminServer, adminServer } from '../helpers/admin-server.js';
import { estateFrom } from '../helpers/estates.js';
import { octoberEstateYaml, octoberPushed, SITES } from '../helpers/october-case.js';
import { useTmpDir } from '../helpers/tmp.js';

/*
 * The October 2026 case of test/api/compliance.test.ts, whose figures are worked out by hand in its
 * comment, made into a frozen monthly report. Then marsh-lane's agent delivers late the runs of its
 * silent afternoon (Thu 8 Oct 12:00Z–16:00Z, all up): the issued report stays byte for byte as it was,
 * and a reissue lists exactly what those runs change. With marsh-lane known and up, hill-view's failure
 * 13:00Z–13:20Z (G) is seen from one vantage point of three, so its 20 minutes move from the owner
 * (riverside) to hill-view's host (northgate); marsh-lane's 239.5 unknown minutes become up.
 */

const tmp = useTmpDir();
const NOW = Date.UTC(2026, 10, 10, 12, 0);
const LATE = Date.UTC(2026, 10, 12, 9, 0);

const lateRuns = Array.from({ length: 48 }, (_, k) => {
  const at = Date.UTC(2026, 9, 8, 12, 0) + k * 300_000;
  return {
    id: `late-${at}`,
    checkId: 'epr-login',
    state: 'ok',
    ok: true,
    status: 200,
    startedAt: new Date(at).toISOString(),
    phases: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 40, transferMs: 1, totalMs: 47 },
  };
});

describe('a frozen report of October 2026, made over the API', () => {
  let store: SqliteStores;
  let server: AdminServer;
  let later: AdminServer;
  let issued: string;

  const post = (base: string, path: string, body?: object) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'reports.db'));
    const estate = estateFrom(octoberEstateYaml);
    await store.estate.syncEstate(estate, NOW);
    server = await adminServer(store, estate, NOW);
    later = await adminServer(store, estate, LATE);
    for (const site of SITES) await server.push(site, octoberPushed(site));
    const made = await post(server.base, '/api/v1/reports', { kind: 'month', period: '2026-10' });
    expect(made.status).toBe(201);
    issued = await made.text();
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await later.close();
    await store.close();
  });

  it('keeps every member of every item, as the compliance API gives them', async () => {
    const report = JSON.parse(issued) as Report;
    expect(report.content.principles.length).toBeGreaterThan(0);
    for (const principle of report.content.principles) {
      const answer = await fetch(
        `${server.base}/api/v1/principles/${principle.id}/compliance?period=2026-10`,
      );
      expect(answer.status).toBe(200);
      expect(principle.items).toEqual(((await answer.json()) as { items: unknown[] }).items);
    }
  });

  it('holds the hand-computed figures, the summary, the outages, maintenance and coverage', () => {
    const report = JSON.parse(issued) as Report;
    expect(report).toMatchObject({
      id: '2026-10',
      kind: 'month',
      period: '2026-10',
      from: '2026-09-30T23:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      version: 1,
      replaces: null,
      createdAt: '2026-11-10T12:00:00.000Z',
      demo: false,
      changes: [],
      accounting: { version: 1 },
    });
    expect(report.createdBy).toMatch(/^token:/);
    expect(report.estateVersion).toMatch(/^sha256:[0-9a-f]{64}$/);
    const core = report.content.principles.find((p) => p.id === 'epr-core');
    const item = (site: string) => core?.items.find((i) => i.site === site);
    expect(core).toMatchObject({
      status: 'breached',
      value: (39120.5 / 39330.5) * 100,
      unit: '%',
      target: 99.5,
    });
    expect(item('st-annes')).toMatchObject({
      status: 'breached',
      value: (13160 / 13230) * 100,
      minutes: { up: 13160, down: 70, maintenance: 0, unknown: 0 },
      attribution: [
        { organisation: 'riverside', role: 'owner', minutes: 45 },
        { organisation: 'riverside', role: 'host', minutes: 25 },
      ],
    });
    expect(item('marsh-lane')).toMatchObject({
      status: 'met',
      value: (12825.5 / 12870.5) * 100,
      minutes: { up: 12825.5, down: 45, maintenance: 120, unknown: 239.5 },
    });
    expect(item('hill-view')).toMatchObject({
      status: 'breached',
      value: (13135 / 13230) * 100,
      attribution: [
        { organisation: 'riverside', role: 'owner', minutes: 65 },
        { organisation: 'northgate', role: 'host', minutes: 30 },
      ],
    });
    // The period before (September) has no runs at all.
    expect(core?.previous).toEqual({ status: 'no-data', value: null });
    expect(report.content.summary.counts).toEqual({
      met: 1,
      'at-risk': 0,
      breached: 2,
      'no-data': 0,
      'not-evaluated': 0,
    });
    // Worst first: hill-view at all times is furthest under its target in proportion (99.653% of 99.9%).
    expect(
      report.content.summary.gaps.map((g) => [g.principle, g.site, g.organisation, g.role, g.minutes]),
    ).toEqual([
      ['epr-always', 'hill-view', 'northgate', 'host', 90],
      ['epr-core', 'hill-view', 'riverside', 'owner', 65],
      ['epr-always', 'st-annes', 'riverside', 'owner', 45],
    ]);
    expect(report.content.outagesTotal).toBe(7);
    expect(report.content.outages.map((o) => [o.site, o.from, o.minutes, o.organisation, o.role])).toEqual([
      ['hill-view', '2026-10-10T02:00:00.000Z', 60, 'northgate', 'host'],
      ['st-annes', '2026-10-20T14:00:00.000Z', 60, 'riverside', 'owner'],
      ['hill-view', '2026-10-20T14:00:00.000Z', 45, 'riverside', 'owner'],
      ['marsh-lane', '2026-10-20T14:00:00.000Z', 45, 'riverside', 'owner'],
      ['hill-view', '2026-10-06T09:00:00.000Z', 30, 'northgate', 'host'],
      ['hill-view', '2026-10-08T13:00:00.000Z', 20, 'riverside', 'owner'],
      ['st-annes', '2026-10-26T07:50:00.000Z', 20, 'riverside', 'host'],
    ]);
    expect(report.content.maintenance).toEqual([
      {
        id: 'marsh-lane-switch',
        title: 'Marsh Lane switch replacement',
        from: '2026-10-14T11:00:00.000Z',
        to: '2026-10-14T13:00:00.000Z',
        scope: 'sites marsh-lane',
      },
    ]);
    // 239.5 unknown minutes of marsh-lane's 44,700.
    expect(report.content.coverage).toEqual([
      { site: 'hill-view', name: 'Hill View Clinic', unknownMinutes: 0, share: 0 },
      { site: 'marsh-lane', name: 'Marsh Lane Centre', unknownMinutes: 239.5, share: (239.5 / 44700) * 100 },
      { site: 'st-annes', name: "St Anne's Hospital", unknownMinutes: 0, share: 0 },
    ]);
    const northgate = report.content.organisations.find((o) => o.id === 'northgate');
    expect(northgate?.scorecard.find((s) => s.principle === 'epr-core')).toEqual({
      principle: 'epr-core',
      status: 'breached',
      value: (13135 / 13230) * 100,
      owner: 0,
      host: 30,
    });
  });

  it('stores the canonical JSON whose hash it carries, keys sorted, and refuses a second first issue', async () => {
    const report = JSON.parse(issued) as Report;
    const { createHash } = await import('node:crypto');
    const { hash, ...rest } = report;
    const { canonicalJson } = await import('../../server/reports/canonical.js');
    expect(canonicalJson(report)).toBe(issued);
    expect(hash).toBe(`sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`);
    const again = await post(server.base, '/api/v1/reports', { kind: 'month', period: '2026-10' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe(
      'a month report for 2026-10 already exists (2026-10): reissue it to make a new version',
    );
  });

  it('stays byte for byte as issued after late results arrive, and a reissue lists exactly what changed', async () => {
    await later.push('marsh-lane', lateRuns);
    const read = await fetch(`${later.base}/api/v1/reports/2026-10`);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await read.text()).toBe(issued);

    const answer = await post(later.base, '/api/v1/reports/2026-10/reissue');
    expect(answer.status).toBe(201);
    const second = (await answer.json()) as Report;
    expect(second).toMatchObject({
      id: '2026-10-v2',
      version: 2,
      replaces: '2026-10',
      createdAt: '2026-11-12T09:00:00.000Z',
    });
    const change = (path: string) => second.changes.find((c) => c.path === path);
    expect(change('principles/epr-core/items/marsh-lane|epr/minutes/up')).toEqual({
      path: 'principles/epr-core/items/marsh-lane|epr/minutes/up',
      label: 'EPR available in core hours, Marsh Lane Centre × Electronic patient record, minutes: up',
      before: 12825.5,
      after: 13065,
    });
    expect(
      change('principles/epr-core/items/hill-view|epr/attribution/riverside|owner/minutes'),
    ).toMatchObject({
      before: 65,
      after: 45,
    });
    expect(
      change('principles/epr-core/items/hill-view|epr/attribution/northgate|host/minutes'),
    ).toMatchObject({
      before: 30,
      after: 50,
    });
    expect(change('outages/epr-login|hill-view|2026-10-08T13:00:00.000Z/organisation')).toMatchObject({
      label: 'outages, EPR sign-in page × Hill View Clinic × 2026-10-08T13:00:00.000Z: organisation',
      before: 'riverside',
      after: 'northgate',
    });
    expect(change('summary/gaps/epr-core|hill-view|epr/organisation')).toMatchObject({
      before: 'riverside',
      after: 'northgate',
    });
    expect(change('coverage/marsh-lane/unknownMinutes')).toMatchObject({ before: 239.5, after: 0 });
    // Exactly these, and nothing of st-annes, whose runs did not change.
    expect(second.changes.map((c) => c.path)).toEqual(EXPECTED_CHANGES);

    // Both stay readable; the first unchanged.
    expect(await (await fetch(`${later.base}/api/v1/reports/2026-10`)).text()).toBe(issued);
    // Reissued again with nothing new: the next version replaces the newest, and lists no change.
    const third = (await (await post(later.base, '/api/v1/reports/2026-10/reissue')).json()) as Report;
    expect([third.id, third.replaces, third.changes]).toEqual(['2026-10-v3', '2026-10-v2', []]);
    const list = (await (await fetch(`${later.base}/api/v1/reports`)).json()) as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toEqual(['2026-10', '2026-10-v2', '2026-10-v3']);
    const audit = await store.access.auditLog({ limit: 5 });
    expect(audit.map((e) => [e.action, e.subject])).toEqual([
      ['report-reissued', 'report:2026-10-v3'],
      ['report-reissued', 'report:2026-10-v2'],
      ['report-created', 'report:2026-10'],
    ]);
  });

  it('gives every table as CSV: in a zip, or one by ?table=', async () => {
    const one = await fetch(`${server.base}/reports/2026-10.csv?table=outages`);
    expect(one.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await one.text()).split('\r\n');
    expect(lines.slice(0, 2)).toEqual([
      'check,system,site,from,to,minutes,organisation,role',
      'epr-login,epr,hill-view,2026-10-10T02:00:00.000Z,2026-10-10T03:00:00.000Z,60,northgate,host',
    ]);
    const zip = await fetch(`${server.base}/reports/2026-10.csv`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const file = join(tmp(), 'report.zip');
    writeFileSync(file, Buffer.from(await zip.arrayBuffer()));
    const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual([
      'summary.csv',
      'gaps.csv',
      'principles.csv',
      'items.csv',
      'attribution.csv',
      'organisations.csv',
      'outages.csv',
      'maintenance.csv',
      'coverage.csv',
      'survey.csv',
      'changes.csv',
    ]);
    expect(execFileSync('unzip', ['-p', file, 'coverage.csv'], { encoding: 'utf8' })).toBe(
      'site,name,unknown_minutes,unknown_percent\r\n' +
        'hill-view,Hill View Clinic,0,0\r\n' +
        `marsh-lane,Marsh Lane Centre,239.5,${(239.5 / 44700) * 100}\r\n` +
        "st-annes,St Anne's Hospital,0,0\r\n",
    );
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const bad = await fetch(`${server.base}/reports/2026-10.csv?table=nothing`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^query parameter 'table': no table 'nothing': give one of summary, gaps, principles/,
    );
  });

  it('refuses what is not a report with a clear 4xx', async () => {
    const cases: [object, number, string][] = [
      [{ kind: 'week', period: '2026-10' }, 400, "field 'kind': Invalid option"],
      [
        { kind: 'month', period: '2026-Q3' },
        400,
        "period '2026-Q3' is not a month: give one such as 2026-11",
      ],
      [{ kind: 'month', period: '2026-11' }, 400, "period '2026-11' has not ended yet"],
      [{ kind: 'year', period: '2027' }, 400, "period '2027' has not begun yet"],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post(server.base, '/api/v1/reports', body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(await answer.json())).toContain(message);
    }
    expect((await fetch(`${server.base}/api/v1/reports/2026-01`)).status).toBe(404);
    expect((await post(server.base, '/api/v1/reports/2026-01/reissue')).status).toBe(404);
  });
});

const EXPECTED_CHANGES = [
  'coverage/marsh-lane/share',
  'coverage/marsh-lane/unknownMinutes',
  'organisations/eastfield/scorecard/epr-always/value',
  'organisations/eastfield/scorecard/epr-core/value',
  'organisations/northgate/scorecard/epr-always/host',
  'organisations/northgate/scorecard/epr-core/host',
  'organisations/riverside/scorecard/epr-always/owner',
  'organisations/riverside/scorecard/epr-always/value',
  'organisations/riverside/scorecard/epr-core/owner',
  'organisations/riverside/scorecard/epr-core/value',
  'outages/epr-login|hill-view|2026-10-08T13:00:00.000Z/organisation',
  'outages/epr-login|hill-view|2026-10-08T13:00:00.000Z/role',
  'principles/epr-always/byOrganisation/eastfield/budget/allowed',
  'principles/epr-always/byOrganisation/eastfield/budget/left',
  'principles/epr-always/byOrganisation/eastfield/minutes/unknown',
  'principles/epr-always/byOrganisation/eastfield/minutes/up',
  'principles/epr-always/byOrganisation/eastfield/value',
  'principles/epr-always/byOrganisation/northgate/attributed',
  'principles/epr-always/byOrganisation/northgate/attribution/northgate|host/minutes',
  'principles/epr-always/byOrganisation/riverside/attributed',
  'principles/epr-always/byOrganisation/riverside/attribution/riverside|owner/minutes',
  'principles/epr-always/byOrganisation/riverside/budget/allowed',
  'principles/epr-always/byOrganisation/riverside/budget/left',
  'principles/epr-always/byOrganisation/riverside/minutes/unknown',
  'principles/epr-always/byOrganisation/riverside/minutes/up',
  'principles/epr-always/byOrganisation/riverside/value',
  'principles/epr-always/bySite/hill-view/attribution/northgate|host/minutes',
  'principles/epr-always/bySite/hill-view/attribution/riverside|owner/minutes',
  'principles/epr-always/bySite/marsh-lane/budget/allowed',
  'principles/epr-always/bySite/marsh-lane/budget/left',
  'principles/epr-always/bySite/marsh-lane/minutes/unknown',
  'principles/epr-always/bySite/marsh-lane/minutes/up',
  'principles/epr-always/bySite/marsh-lane/value',
  'principles/epr-always/bySystem/epr/attribution/northgate|host/minutes',
  'principles/epr-always/bySystem/epr/attribution/riverside|owner/minutes',
  'principles/epr-always/bySystem/epr/budget/allowed',
  'principles/epr-always/bySystem/epr/budget/left',
  'principles/epr-always/bySystem/epr/minutes/unknown',
  'principles/epr-always/bySystem/epr/minutes/up',
  'principles/epr-always/bySystem/epr/value',
  'principles/epr-always/items/hill-view|epr/attribution/northgate|host/minutes',
  'principles/epr-always/items/hill-view|epr/attribution/riverside|owner/minutes',
  'principles/epr-always/items/marsh-lane|epr/budget/allowed',
  'principles/epr-always/items/marsh-lane|epr/budget/left',
  'principles/epr-always/items/marsh-lane|epr/minutes/unknown',
  'principles/epr-always/items/marsh-lane|epr/minutes/up',
  'principles/epr-always/items/marsh-lane|epr/value',
  'principles/epr-always/value',
  'principles/epr-core/byOrganisation/eastfield/budget/allowed',
  'principles/epr-core/byOrganisation/eastfield/budget/left',
  'principles/epr-core/byOrganisation/eastfield/minutes/unknown',
  'principles/epr-core/byOrganisation/eastfield/minutes/up',
  'principles/epr-core/byOrganisation/eastfield/value',
  'principles/epr-core/byOrganisation/northgate/attributed',
  'principles/epr-core/byOrganisation/northgate/attribution/northgate|host/minutes',
  'principles/epr-core/byOrganisation/riverside/attributed',
  'principles/epr-core/byOrganisation/riverside/attribution/riverside|owner/minutes',
  'principles/epr-core/byOrganisation/riverside/budget/allowed',
  'principles/epr-core/byOrganisation/riverside/budget/left',
  'principles/epr-core/byOrganisation/riverside/minutes/unknown',
  'principles/epr-core/byOrganisation/riverside/minutes/up',
  'principles/epr-core/byOrganisation/riverside/value',
  'principles/epr-core/bySite/hill-view/attribution/northgate|host/minutes',
  'principles/epr-core/bySite/hill-view/attribution/riverside|owner/minutes',
  'principles/epr-core/bySite/marsh-lane/budget/allowed',
  'principles/epr-core/bySite/marsh-lane/budget/left',
  'principles/epr-core/bySite/marsh-lane/minutes/unknown',
  'principles/epr-core/bySite/marsh-lane/minutes/up',
  'principles/epr-core/bySite/marsh-lane/value',
  'principles/epr-core/bySystem/epr/attribution/northgate|host/minutes',
  'principles/epr-core/bySystem/epr/attribution/riverside|owner/minutes',
  'principles/epr-core/bySystem/epr/budget/allowed',
  'principles/epr-core/bySystem/epr/budget/left',
  'principles/epr-core/bySystem/epr/minutes/unknown',
  'principles/epr-core/bySystem/epr/minutes/up',
  'principles/epr-core/bySystem/epr/value',
  'principles/epr-core/items/hill-view|epr/attribution/northgate|host/minutes',
  'principles/epr-core/items/hill-view|epr/attribution/riverside|owner/minutes',
  'principles/epr-core/items/marsh-lane|epr/budget/allowed',
  'principles/epr-core/items/marsh-lane|epr/budget/left',
  'principles/epr-core/items/marsh-lane|epr/minutes/unknown',
  'principles/epr-core/items/marsh-lane|epr/minutes/up',
  'principles/epr-core/items/marsh-lane|epr/value',
  'principles/epr-core/value',
  'principles/epr-fast/byOrganisation/eastfield/budget/allowed',
  'principles/epr-fast/byOrganisation/eastfield/budget/left',
  'principles/epr-fast/byOrganisation/eastfield/minutes/unknown',
  'principles/epr-fast/byOrganisation/eastfield/minutes/up',
  'principles/epr-fast/byOrganisation/riverside/budget/allowed',
  'principles/epr-fast/byOrganisation/riverside/budget/left',
  'principles/epr-fast/byOrganisation/riverside/minutes/unknown',
  'principles/epr-fast/byOrganisation/riverside/minutes/up',
  'principles/epr-fast/bySite/marsh-lane/budget/allowed',
  'principles/epr-fast/bySite/marsh-lane/budget/left',
  'principles/epr-fast/bySite/marsh-lane/minutes/unknown',
  'principles/epr-fast/bySite/marsh-lane/minutes/up',
  'principles/epr-fast/bySystem/epr/budget/allowed',
  'principles/epr-fast/bySystem/epr/budget/left',
  'principles/epr-fast/bySystem/epr/minutes/unknown',
  'principles/epr-fast/bySystem/epr/minutes/up',
  'principles/epr-fast/items/marsh-lane|epr/budget/allowed',
  'principles/epr-fast/items/marsh-lane|epr/budget/left',
  'principles/epr-fast/items/marsh-lane|epr/minutes/unknown',
  'principles/epr-fast/items/marsh-lane|epr/minutes/up',
  'summary/gaps/epr-always|hill-view|epr/minutes',
  'summary/gaps/epr-core|hill-view|epr/minutes',
  'summary/gaps/epr-core|hill-view|epr/organisation',
  'summary/gaps/epr-core|hill-view|epr/role',
];
