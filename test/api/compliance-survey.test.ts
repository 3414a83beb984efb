import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { ComplianceResponse, OrganisationComplianceResponse } from '../../server/api/types.js';
import { parseEstate } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { WITHHELD_REASONS } from '../../surveys/privacy.js';
import { checkResponse } from '../../surveys/response.js';
import { asAdmin } from '../helpers/as-admin.js';
import { estateFrom } from '../helpers/estates.js';
import { susFor } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

/*
 * The 2025 campaign (closed, so published) has 79 responses: 30 at st-annes, 20 at marsh-lane
 * (eastfield's staff), 4 at tiny-clinic and 25 at wharf-road (riverside's staff), all nursing. The
 * results API withholds tiny-clinic (4, fewer than 11) and wharf-road (so that tiny-clinic cannot be
 * worked out from riverside's 59 less st-annes' 30). The 2026 campaign is open, not yet published; the
 * 2024 one has 20 responses at st-annes scoring SUS 50 and 60.
 *
 * With k the response's number at its site (from 0):
 * - epr's SUS: 70 for even k, 90 for odd: 40 at 70 (15 + 10 + 2 + 13) and 39 at 90; mean 6,310 / 79
 *   = 79.87 → 79.9. Below 80 (breached, the owner riverside's), above 68 (met).
 * - "epr is available when I need it": 2 (disagree) when k % 5 = 0, else 4 (agree): 6 + 4 + 1 + 5 = 16
 *   disagree, 63 agree; net (63 − 16) / 79 = 59.49 → 59.5: met against +20.
 * - "fixed promptly", about the site: at marsh-lane 1 for even k, else 5: 10 and 10, net 0: breached
 *   (the host eastfield's). Elsewhere 1 when k % 3 = 0, else 5: st-annes 10 and 20, net 33.3: met.
 * - "a working device": st-annes 18 always, 6 usually, 6 sometimes: 24 / 30 = 80%, below 90%: breached
 *   (host riverside). marsh-lane 3 always and 17 usually: the API withholds both counts (3 is small,
 *   17 the next smallest), but both are counted, so the share is its n less the rest shown (0): 100%.
 *   tiny-clinic 4 always; wharf-road 15 always, 5 usually, 5 sometimes.
 */
const yaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: tiny-clinic, name: Tiny Clinic, host: riverside }
  - { id: wharf-road, name: Wharf Road, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
  - { id: email, name: Email, owner: eastfield }
principles:
  - { id: usable, title: Usable systems, metric: survey-score, target: 80 }
  - { id: usable-floor, title: No system below the benchmark, metric: survey-score, target: 68, scope: { systems: [epr] } }
  - { id: epr-available-said, title: Staff say the EPR is available, metric: survey-net, item: infra.available, target: 20 }
  - { id: fix-fast, title: Problems fixed promptly, metric: survey-net, item: infra.fixedPromptly, target: 20 }
  - { id: devices, title: A working device when needed, metric: survey-share, item: infra.workingDevice, answers: [always, usually], target: 90% }
surveys:
  - { id: usability-2024, title: IT usability survey 2024, opens: 2024-10-01, closes: 2024-12-31, systems: { epr: sus } }
  - { id: usability-2025, title: IT usability survey 2025, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
  - { id: usability-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, systems: { epr: sus } }
`;

const NOW = Date.UTC(2026, 10, 24, 12);
const SITES = { 'st-annes': 30, 'marsh-lane': 20, 'tiny-clinic': 4, 'wharf-road': 25 } as const;
type SiteId = keyof typeof SITES;

function device(site: SiteId, k: number): string {
  if (site === 'st-annes') return k < 18 ? 'always' : k < 24 ? 'usually' : 'sometimes';
  if (site === 'marsh-lane') return k < 3 ? 'always' : 'usually';
  if (site === 'tiny-clinic') return 'always';
  return k < 15 ? 'always' : k < 20 ? 'usually' : 'sometimes';
}

function responsesOf(estate: Estate) {
  const survey = estate.surveys.find((s) => s.id === 'usability-2025');
  const before = estate.surveys.find((s) => s.id === 'usability-2024');
  if (!survey || !before) throw new Error('no survey');
  const out = [];
  for (const [site, count] of Object.entries(SITES) as [SiteId, number][]) {
    for (let k = 0; k < count; k++) {
      const fixed = site === 'marsh-lane' ? (k % 2 === 0 ? 1 : 5) : k % 3 === 0 ? 1 : 5;
      const checked = checkResponse(
        {
          organisation: site === 'marsh-lane' ? 'eastfield' : 'riverside',
          site,
          staffGroup: 'nursing',
          answers: {
            epr: { ...susFor(k % 2 === 0 ? 70 : 90), 'infra.available': k % 5 === 0 ? 2 : 4 },
            infra: { 'infra.fixedPromptly': fixed, 'infra.workingDevice': device(site, k) },
          },
        },
        survey,
        estate,
        '2025-11-03',
      );
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      out.push(checked.response);
    }
  }
  for (let k = 0; k < 20; k++) {
    const checked = checkResponse(
      {
        organisation: 'riverside',
        site: 'st-annes',
        staffGroup: 'nursing',
        answers: { epr: susFor(k % 2 ? 50 : 60) },
      },
      before,
      estate,
      '2024-11-04',
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    out.push(checked.response);
  }
  return out;
}

describe('survey principles from the latest published campaign', () => {
  let store: SqliteStores;
  let app: RequestListener;
  const compliance = async (id: string, period?: string) => {
    const answer = await request(app).get(
      `/api/v1/principles/${id}/compliance${period ? `?period=${period}` : ''}`,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as ComplianceResponse;
  };

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'survey-compliance.db'));
    const estate = estateFrom(yaml);
    await store.estate.syncEstate(estate, NOW);
    await store.survey.addResponses(responsesOf(estate));
    app = await asAdmin(
      createApp({ store, clock: { now: () => NOW }, logger: silentLogger, estate: () => estate }),
      store,
    );
  });

  afterAll(async () => {
    await store.close();
  });

  it('scores each system the campaign rates, the owner answering, with the responses it came from', async () => {
    const body = await compliance('usable');
    // email is not rated by the campaign: no item for it.
    expect(body.items).toEqual([
      expect.objectContaining({
        site: null,
        system: 'epr',
        status: 'breached',
        value: 79.9,
        target: 80,
        responses: 79,
        attribution: [{ organisation: 'riverside', role: 'owner', minutes: 0, responses: 79 }],
      }),
    ]);
    expect([body.status, body.value]).toEqual(['breached', 79.9]);
    expect(body.message).toBe('read from IT usability survey 2025 (usability-2025)');
    expect(body.accounting.text).toContain('Survey: ');
    expect((await compliance('usable-floor')).items.map((i) => [i.system, i.status])).toEqual([
      ['epr', 'met'],
    ]);
  });

  it('reads the campaign published by the end of the period', async () => {
    // November 2025: the 2025 campaign was still open, so 2024's is read: SUS 50 and 60, mean 55.
    const november = await compliance('usable', '2025-11');
    expect(november.items.map((i) => [i.system, i.value, i.responses])).toEqual([['epr', 55, 20]]);
    // November 2024: nothing published yet.
    const none = await compliance('usable', '2024-11');
    expect([none.status, none.value, none.items]).toEqual(['no-data', null, []]);
    expect(none.message).toMatch(/no survey campaign had published results/);
  });

  it('gives an agreement item asked per system its net score', async () => {
    const body = await compliance('epr-available-said');
    expect(body.items).toEqual([
      expect.objectContaining({ site: null, system: 'epr', status: 'met', value: 59.5, responses: 79 }),
    ]);
  });

  it('gives a site item per site, the host answering, and a withheld group no number', async () => {
    const body = await compliance('fix-fast');
    const bySite = Object.fromEntries(body.items.map((i) => [i.site, i]));
    expect(bySite['st-annes']).toMatchObject({ system: null, status: 'met', value: 33.3, responses: 30 });
    expect(bySite['marsh-lane']).toMatchObject({
      status: 'breached',
      value: 0,
      attribution: [{ organisation: 'eastfield', role: 'host', minutes: 0, responses: 20 }],
    });
    expect(bySite['tiny-clinic']).toMatchObject({
      status: 'no-data',
      value: null,
      withheld: true,
      responses: null,
      message: `no data (withheld): ${WITHHELD_REASONS.tooFew}`,
    });
    expect(bySite['wharf-road']).toMatchObject({
      status: 'no-data',
      value: null,
      withheld: true,
      message: `no data (withheld): ${WITHHELD_REASONS.complementary}`,
    });
    expect(JSON.stringify(body)).not.toMatch(/"responses":4\b|"responses":25\b/);
    expect([body.status, body.value]).toEqual(['breached', 0]);
    expect(body.bySite.map((s) => [s.site, s.status])).toEqual([
      ['marsh-lane', 'breached'],
      ['st-annes', 'met'],
      ['tiny-clinic', 'no-data'],
      ['wharf-road', 'no-data'],
    ]);
  });

  it('gives the share answering some options, from the counts the results API shows', async () => {
    const body = await compliance('devices');
    const bySite = Object.fromEntries(body.items.map((i) => [i.site, i]));
    expect(bySite['st-annes']).toMatchObject({ status: 'breached', value: 80, target: 90, responses: 30 });
    expect(bySite['marsh-lane']).toMatchObject({ status: 'met', value: 100, responses: 20 });
    expect(bySite['tiny-clinic']).toMatchObject({ status: 'no-data', withheld: true });
    // The results API's own view of marsh-lane: both counts withheld, n shown.
    const shown = await request(app).get('/api/v1/surveys/usability-2025/results?by=site');
    const marsh = shown.body.items.find((g: { key: string }) => g.key === 'marsh-lane');
    expect(marsh.distributions['infra.workingDevice']).toMatchObject({
      n: 20,
      counts: { always: null, usually: null, sometimes: 0 },
    });
  });

  it('puts a breached survey figure in the scorecard of the organisation that answers for it', async () => {
    const riverside = (await request(app).get('/api/v1/organisations/riverside/compliance'))
      .body as OrganisationComplianceResponse;
    const gaps = Object.fromEntries(
      riverside.principles.map((p) => [p.id, p.gaps.map((g) => [g.site, g.system, g.status])]),
    );
    expect(gaps.usable).toEqual([[null, 'epr', 'breached']]);
    expect(gaps.devices).toEqual([['st-annes', null, 'breached']]);
    expect(gaps['fix-fast']).toEqual([]);
    const eastfield = (await request(app).get('/api/v1/organisations/eastfield/compliance'))
      .body as OrganisationComplianceResponse;
    expect(eastfield.principles.find((p) => p.id === 'fix-fast')?.gaps).toEqual([
      {
        site: 'marsh-lane',
        system: null,
        status: 'breached',
        value: 0,
        minutes: 0,
        roles: [{ organisation: 'eastfield', role: 'host', minutes: 0, responses: 20 }],
      },
    ]);
  });
});

describe('survey principles in the estate file', () => {
  const errors = (principle: string) => {
    const result = parseEstate(
      `organisations:\n  - { id: riverside, name: Riverside, kind: acute }\nprinciples:\n  - ${principle}\n`,
      'estate.yaml',
      {},
    );
    return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
  };

  it('takes certificate and survey targets only in their own units, and no hours for a survey', () => {
    expect(errors('{ id: certs, title: Certificates, metric: certificate-expiry, target: 14% }')).toEqual([
      "4:75: principle 'certs' field 'target': a certificate-expiry target is a number of days, such as 14, not '14%'",
    ]);
    expect(errors('{ id: usable, title: Usable, metric: survey-score, target: 120 }')[0]).toMatch(
      /a survey-score target is a score from 0 to 100, such as 68, not '120'/,
    );
    expect(errors('{ id: net, title: Net, metric: survey-net, item: infra.available, target: +20 }')).toEqual(
      [],
    );
    expect(
      errors(
        '{ id: share, title: Share, metric: survey-share, item: infra.available, answers: [4, 5], target: 3s }',
      )[0],
    ).toMatch(/a survey-share target is a share from 0% to 100%, such as 90%, not '3s'/);
    expect(errors('{ id: usable, title: Usable, metric: survey-score, target: 68, hours: core }')[0]).toMatch(
      /field 'hours': a survey-score principle reads a survey campaign, which has no hours: leave hours out/,
    );
    expect(
      errors('{ id: certs, title: Certificates, metric: certificate-expiry, target: 14, hours: core }'),
    ).toEqual([]);
  });

  it('names the principle whose item or answers are missing, unknown or not read', () => {
    expect(errors('{ id: fix-fast, title: Fixed, metric: survey-net, target: 20 }')).toEqual([
      "4:43: principle 'fix-fast' field 'metric': a survey-net principle names the survey item it reads: give item, such as infra.available",
    ]);
    expect(
      errors('{ id: fix-fast, title: Fixed, metric: survey-net, item: infra.fixedPromply, target: 20 }'),
    ).toEqual([
      "4:61: principle 'fix-fast' field 'item': unknown survey item 'infra.fixedPromply' (did you mean 'infra.fixedPromptly'?)",
    ]);
    expect(
      errors('{ id: devices, title: Devices, metric: survey-net, item: infra.workingDevice, target: 20 }')[0],
    ).toMatch(
      /principle 'devices' field 'item': 'infra.workingDevice' is not an agreement item, so it has no net score/,
    );
    expect(
      errors(
        '{ id: devices, title: Devices, metric: survey-share, item: infra.workingDevice, target: 90% }',
      )[0],
    ).toMatch(
      /principle 'devices' field 'metric': a survey-share principle names the answers it counts: give answers/,
    );
    expect(
      errors(
        '{ id: devices, title: Devices, metric: survey-share, item: infra.workingDevice, answers: [always, often], target: 90% }',
      ),
    ).toEqual([
      expect.stringMatching(
        /^4:\d+: principle 'devices' field 'answers\[1\]': 'often' is not an answer to infra.workingDevice that is counted; its answers: always, usually, sometimes, rarely, never$/,
      ),
    ]);
    expect(
      errors('{ id: usable, title: Usable, metric: survey-score, item: infra.available, target: 68 }')[0],
    ).toMatch(/principle 'usable' field 'item': only survey-net and survey-share principles read an item/);
    expect(
      errors(
        '{ id: fix-fast, title: Fixed, metric: survey-net, item: infra.fixedPromptly, answers: [4, 5], target: 20 }',
      )[0],
    ).toMatch(/a survey-net principle counts agree against disagree; answers are for survey-share/);
    expect(
      errors(
        '{ id: devices, title: Devices, metric: survey-share, item: infra.available, answers: [4, 5], target: 50% }',
      ),
    ).toEqual([]);
  });
});
