import type { Estate, Principle } from '../config/schema.js';
import { type Compliance, type Headline, targetOf } from '../principles/compliance.js';
import type { Status } from '../principles/figures.js';
import type { ReportContent, ReportPrinciple } from './types.js';

type Judged = Status | 'not-evaluated';

/** How to read a principle's value. */
export function unitOf(principle: Principle): string {
  switch (principle.metric) {
    case 'availability':
    case 'survey-share':
      return '%';
    case 'latency':
      return 'ms';
    case 'certificate-expiry':
      return 'days';
    default:
      return 'score';
  }
}

/** A principle's compliance as a report keeps it, with the period before's status and value beside it. */
export function reportPrinciple(judged: Compliance, previous: Headline | undefined): ReportPrinciple {
  const { principle } = judged;
  return {
    id: principle.id,
    title: principle.title,
    metric: principle.metric,
    target: targetOf(principle),
    unit: unitOf(principle),
    status: judged.status,
    value: judged.value,
    ...(judged.message ? { message: judged.message } : {}),
    items: judged.items.map(inWritingOrder),
    bySystem: judged.bySystem,
    bySite: judged.bySite,
    byOrganisation: judged.byOrganisation,
    previous: { status: previous?.status ?? 'no-data', value: previous?.value ?? null },
  };
}

type Item = ReportPrinciple['items'][number];
type Attributed = Item['attribution'][number];

/** A figure's members, which inWritingOrder knows how to order. */
const FIGURE_MEMBERS = new Set([
  'attribution',
  'budget',
  'burn',
  'minutes',
  'site',
  'status',
  'system',
  'target',
  'value',
]);

/**
 * An item made again with its members, and theirs, in the order canonical JSON writes them (sorted), so
 * writing a report copies none of them: an annual report has tens of thousands of items, and copying
 * each member by member took half a second. An item with other members (certificates, survey counts)
 * is left as it is, for the writer to order.
 */
function inWritingOrder(item: Item): Item {
  for (const key in item) if (!FIGURE_MEMBERS.has(key)) return item;
  const { budget, burn, minutes } = item;
  return {
    attribution: item.attribution.map(attributedInOrder),
    budget: { allowed: budget.allowed, left: budget.left, spent: budget.spent },
    burn: { '1d': burn['1d'], '1h': burn['1h'], '3d': burn['3d'], '6h': burn['6h'] },
    minutes: {
      down: minutes.down,
      maintenance: minutes.maintenance,
      unknown: minutes.unknown,
      up: minutes.up,
    },
    site: item.site,
    status: item.status,
    system: item.system,
    target: item.target,
    value: item.value,
  };
}

const attributedInOrder = (a: Attributed): Attributed =>
  a.responses === undefined
    ? { minutes: a.minutes, organisation: a.organisation, role: a.role }
    : { minutes: a.minutes, organisation: a.organisation, responses: a.responses, role: a.role };

const RANK: Record<Judged, number> = { 'no-data': 0, 'not-evaluated': 0, met: 1, 'at-risk': 2, breached: 3 };

/**
 * The board's page: principles counted by status, and the three biggest gaps. A gap is an item breached
 * or at risk; breached come first, then the furthest from its target in proportion (a latency over its
 * target, anything else under it), each with the organisation most of its bad minutes are attributed to.
 */
export function summaryOf(principles: readonly ReportPrinciple[]): ReportContent['summary'] {
  const counts: Record<Judged, number> = {
    met: 0,
    'at-risk': 0,
    breached: 0,
    'no-data': 0,
    'not-evaluated': 0,
  };
  for (const p of principles) counts[p.status] += 1;
  const gaps = principles.flatMap((p) =>
    p.items
      .filter((item) => item.status === 'breached' || item.status === 'at-risk')
      .map((item) => {
        const most = [...item.attribution].sort((a, b) => b.minutes - a.minutes)[0];
        const shortfall =
          item.value === null || p.target === 0
            ? 0
            : (p.metric === 'latency' ? item.value - p.target : p.target - item.value) / Math.abs(p.target);
        return {
          rank: RANK[item.status],
          shortfall,
          gap: {
            principle: p.id,
            title: p.title,
            site: item.site,
            system: item.system,
            value: item.value,
            target: p.target,
            unit: p.unit,
            organisation: most?.organisation ?? null,
            role: most?.role ?? null,
            minutes: most?.minutes ?? 0,
          },
        };
      }),
  );
  gaps.sort(
    (a, b) =>
      b.rank - a.rank ||
      b.shortfall - a.shortfall ||
      compare(a.gap.principle, b.gap.principle) ||
      compare(a.gap.site ?? '', b.gap.site ?? '') ||
      compare(a.gap.system ?? '', b.gap.system ?? ''),
  );
  return { counts, gaps: gaps.slice(0, 3).map((g) => g.gap) };
}

/** Each organisation's scorecard: its own figure for every principle, and the minutes it answers for. */
export function organisationsOf(
  estate: Estate,
  principles: readonly ReportPrinciple[],
): ReportContent['organisations'] {
  // Minutes by organisation and principle, summed in one walk over every item's attribution.
  const minutes = new Map<string, { owner: number; host: number }>();
  for (const p of principles)
    for (const item of p.items)
      for (const a of item.attribution) {
        const key = `${a.organisation ?? ''}\u0000${p.id}`;
        const sum = minutes.get(key) ?? { owner: 0, host: 0 };
        sum[a.role] += a.minutes;
        minutes.set(key, sum);
      }
  const own = new Map(
    principles.map((p) => [p.id, new Map(p.byOrganisation.map((o) => [o.organisation, o]))] as const),
  );
  return [...estate.organisations]
    .sort((a, b) => compare(a.id, b.id))
    .map((organisation) => ({
      id: organisation.id,
      name: organisation.name,
      scorecard: principles.map((p) => {
        const figure = own.get(p.id)?.get(organisation.id);
        const sum = minutes.get(`${organisation.id}\u0000${p.id}`) ?? { owner: 0, host: 0 };
        return {
          principle: p.id,
          status: figure?.status ?? (p.status === 'not-evaluated' ? 'not-evaluated' : 'no-data'),
          value: figure?.value ?? null,
          owner: sum.owner,
          host: sum.host,
        };
      }),
    }));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
