import type { AttributedMinutes, Figure, Status } from '../../server/principles/figures.js';
import type { Report, ReportPrinciple } from '../../server/reports/types.js';

/**
 * Hand-made frozen reports, written as the store would keep them: a month (November 2026, first issue)
 * and a year (2026, a reissue of demo data with its changes and the survey against last year). The
 * figures are chosen so every part of the page has something to show, including text that must be
 * escaped and an id too long to fit a line.
 */

/** As long as an id may be (63 characters), with no hyphen to break at. */
export const LONG_CHECK = 'eprsignonthroughthecommunitygatewayfromtheoutpatientswingmainlb';
export const HOSTILE_TITLE = 'Core switch <script>alert("x")</script> & "tidy"';

export const reportNames = {
  organisations: new Map([
    ['riverside', 'Riverside Hospitals NHS Trust'],
    ['eastfield', 'Eastfield Mental Health NHS Trust'],
  ]),
  sites: new Map([
    ['st-annes', "St Anne's Hospital"],
    ['marsh-lane', 'Marsh Lane Centre'],
    ['poplar-walk', 'Poplar Walk <Clinic>'],
  ]),
  systems: new Map([
    ['epr', 'Riverside EPR'],
    ['pas', 'Patient Administration'],
  ]),
};

const who = (organisation: string | null, role: 'owner' | 'host', minutes: number): AttributedMinutes => ({
  organisation,
  role,
  minutes,
});

/** A figure with its minutes: `down` and `up` decide nothing here, they are shown as given. */
function figure(
  status: Status,
  value: number | null,
  target: number,
  down: number,
  attribution: AttributedMinutes[] = [],
): Figure {
  const up = 43_200 - down;
  const allowed = ((100 - target) / 100) * 43_200;
  return {
    status,
    value,
    target,
    minutes: { up, down, maintenance: 120, unknown: 30 },
    budget: { allowed, spent: down, left: allowed - down },
    burn: { '1h': 0, '6h': 0, '1d': down > 0 ? 12 : 0, '3d': down > 0 ? 40 : 0 },
    attribution,
  };
}

function principle(
  p: Pick<ReportPrinciple, 'id' | 'title' | 'metric' | 'target' | 'unit' | 'status' | 'value' | 'previous'>,
  items: ReportPrinciple['items'] = [],
  byOrganisation: ReportPrinciple['byOrganisation'] = [],
): ReportPrinciple {
  const bySystem = [...new Set(items.map((i) => i.system).filter((s): s is string => s !== null))].map(
    (system) => ({
      ...(items.find((i) => i.system === system) as Figure),
      system,
    }),
  );
  const bySite = [...new Set(items.map((i) => i.site).filter((s): s is string => s !== null))].map(
    (site) => ({
      ...(items.find((i) => i.site === site) as Figure),
      site,
    }),
  );
  return { ...p, items, bySystem, bySite, byOrganisation };
}

const availableCore = principle(
  {
    id: 'available-core',
    title: 'Available in core hours',
    metric: 'availability',
    target: 99.9,
    unit: '%',
    status: 'breached',
    value: 99.412,
    previous: { status: 'met', value: 99.953 },
  },
  [
    {
      ...figure('breached', 99.412, 99.9, 254, [
        who('eastfield', 'host', 198),
        who('riverside', 'owner', 56),
      ]),
      site: 'marsh-lane',
      system: 'epr',
    },
    { ...figure('met', 99.986, 99.9, 6, [who('riverside', 'owner', 6)]), site: 'st-annes', system: 'epr' },
    {
      ...figure('breached', 99.771, 99.9, 99, [who('eastfield', 'host', 99)]),
      site: 'poplar-walk',
      system: 'pas',
    },
  ],
  [
    { ...figure('breached', 99.412, 99.9, 297), organisation: 'eastfield', attributed: 297 },
    { ...figure('met', 99.986, 99.9, 62), organisation: 'riverside', attributed: 62 },
  ],
);

const availableAll = principle(
  {
    id: 'available-all',
    title: 'Available at all hours',
    metric: 'availability',
    target: 99.5,
    unit: '%',
    status: 'met',
    value: 99.871,
    previous: { status: 'met', value: 99.802 },
  },
  [{ ...figure('met', 99.871, 99.5, 56, [who('riverside', 'owner', 56)]), site: 'st-annes', system: 'epr' }],
  [{ ...figure('met', 99.871, 99.5, 56), organisation: 'riverside', attributed: 56 }],
);

const fastEpr = principle(
  {
    id: 'fast-epr',
    title: 'EPR answers quickly',
    metric: 'latency',
    target: 3000,
    unit: 'ms',
    status: 'at-risk',
    value: 2840,
    previous: { status: 'met', value: 2210 },
  },
  [
    {
      ...figure('at-risk', 2840, 3000, 0, [who('riverside', 'owner', 41)]),
      site: 'marsh-lane',
      system: 'epr',
    },
  ],
  [{ ...figure('at-risk', 2840, 3000, 0), organisation: 'riverside', attributed: 41 }],
);

const certificates = principle({
  id: 'certificates',
  title: 'Certificates renewed in time',
  metric: 'certificate-expiry',
  target: 14,
  unit: 'days',
  status: 'met',
  value: 41,
  previous: { status: 'no-data', value: null },
});

const susMonth = principle({
  id: 'usable-epr',
  title: 'Staff find the EPR usable',
  metric: 'survey-score',
  target: 68,
  unit: 'score',
  status: 'not-evaluated',
  value: null,
  previous: { status: 'not-evaluated', value: null },
});

export function monthReport(): Report {
  return {
    id: '2026-11',
    kind: 'month',
    period: '2026-11',
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    version: 1,
    replaces: null,
    createdAt: '2026-12-01T06:00:00.000Z',
    createdBy: 'schedule',
    estateVersion: 'a3f1c9e07b2d4c5e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7',
    accounting: {
      version: 3,
      text: 'Maintenance time counts as neither up nor down.\nUnknown time is reported, never counted as up.',
    },
    sources: [
      'state timeline to 2026-12-01T06:00:00Z',
      'hourly rollups for latency',
      'certificate observations',
    ],
    demo: false,
    changes: [],
    content: {
      summary: {
        counts: { met: 2, 'at-risk': 1, breached: 1, 'no-data': 0, 'not-evaluated': 1 },
        gaps: [
          {
            principle: 'available-core',
            title: 'Available in core hours',
            site: 'marsh-lane',
            system: 'epr',
            value: 99.412,
            target: 99.9,
            unit: '%',
            organisation: 'eastfield',
            role: 'host',
            minutes: 198,
          },
          {
            principle: 'available-core',
            title: 'Available in core hours',
            site: 'poplar-walk',
            system: 'pas',
            value: 99.771,
            target: 99.9,
            unit: '%',
            organisation: 'eastfield',
            role: 'host',
            minutes: 99,
          },
          {
            principle: 'fast-epr',
            title: 'EPR answers quickly',
            site: 'marsh-lane',
            system: 'epr',
            value: 2840,
            target: 3000,
            unit: 'ms',
            organisation: 'riverside',
            role: 'owner',
            minutes: 41,
          },
        ],
      },
      principles: [availableCore, availableAll, fastEpr, certificates, susMonth],
      organisations: [
        {
          id: 'eastfield',
          name: 'Eastfield Mental Health NHS Trust',
          scorecard: [
            { principle: 'available-core', status: 'breached', value: 99.412, owner: 0, host: 297 },
          ],
        },
        {
          id: 'riverside',
          name: 'Riverside Hospitals NHS Trust',
          scorecard: [
            { principle: 'available-core', status: 'met', value: 99.986, owner: 62, host: 0 },
            { principle: 'available-all', status: 'met', value: 99.871, owner: 56, host: 0 },
            { principle: 'fast-epr', status: 'at-risk', value: 2840, owner: 41, host: 0 },
          ],
        },
      ],
      outages: [
        {
          check: LONG_CHECK,
          system: 'epr',
          site: 'marsh-lane',
          from: '2026-11-12T09:14:00.000Z',
          to: '2026-11-12T12:32:00.000Z',
          minutes: 198,
          organisation: 'eastfield',
          role: 'host',
        },
        {
          check: 'pas-login',
          system: 'pas',
          site: 'poplar-walk',
          from: '2026-11-20T14:01:00.000Z',
          to: '2026-11-20T15:40:00.000Z',
          minutes: 99,
          organisation: 'eastfield',
          role: 'host',
        },
        {
          check: 'epr-login',
          system: 'epr',
          site: 'st-annes',
          from: '2026-11-03T08:00:00.000Z',
          to: '2026-11-03T08:06:00.000Z',
          minutes: 6,
          organisation: 'riverside',
          role: 'owner',
        },
      ],
      maintenance: [
        {
          id: 'switch-swap',
          title: HOSTILE_TITLE,
          from: '2026-11-08T22:00:00.000Z',
          to: '2026-11-09T02:00:00.000Z',
          scope: 'site marsh-lane',
        },
        {
          id: 'epr-upgrade',
          title: 'EPR upgrade to 24.2',
          from: '2026-11-15T20:00:00.000Z',
          to: '2026-11-15T23:00:00.000Z',
          scope: 'system epr',
        },
      ],
      coverage: [
        { site: 'poplar-walk', name: 'Poplar Walk <Clinic>', unknownMinutes: 1_440, share: 3.333 },
        { site: 'marsh-lane', name: 'Marsh Lane Centre', unknownMinutes: 30, share: 0.069 },
        { site: 'st-annes', name: "St Anne's Hospital", unknownMinutes: 0, share: 0 },
      ],
    },
    hash: 'sha256:9b74c9897bac770ffc029102a200c5de8f2ae5d1b6c2f0a7e3d1c4b5a6978877',
  };
}

/** The year 2026 reissued: one figure moved after late results, and the survey against 2025. */
export function yearReport(): Report {
  const month = monthReport();
  const sus = {
    ...susMonth,
    status: 'met' as const,
    value: 71.5,
    previous: { status: 'breached' as const, value: 64.2 },
  };
  return {
    ...month,
    id: '2026-v2',
    kind: 'year',
    period: '2026',
    from: '2026-01-01T00:00:00.000Z',
    to: '2027-01-01T00:00:00.000Z',
    version: 2,
    replaces: '2026',
    createdAt: '2027-01-04T10:30:00.000Z',
    createdBy: 'demo',
    demo: true,
    changes: [
      {
        path: 'principles/available-core/value',
        label: 'Available in core hours: value',
        before: 99.405,
        after: 99.412,
      },
      {
        path: 'principles/available-core/items/marsh-lane|epr/value',
        label: 'Available in core hours, Marsh Lane Centre × Riverside EPR: value',
        before: 99.401,
        after: 99.412,
      },
    ],
    content: {
      ...month.content,
      summary: {
        ...month.content.summary,
        counts: { met: 3, 'at-risk': 1, breached: 1, 'no-data': 0, 'not-evaluated': 0 },
      },
      principles: [availableCore, availableAll, fastEpr, certificates, sus],
      survey: {
        campaign: 'staff-2026',
        previousCampaign: 'staff-2025',
        systems: [
          { system: 'epr', instrument: 'SUS', score: 71.5, previous: 64.2, target: 68, withheld: false },
          { system: 'pas', instrument: 'UMUX-Lite', score: null, previous: 58.1, target: 68, withheld: true },
        ],
      },
    },
    hash: 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
  };
}
