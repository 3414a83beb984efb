import { listInWords, plural } from './dom.js';
import { ms, percent } from './format.js';
import type { CheckVerdict, Problem, SystemResponsibility } from './types.js';

/** Names for the page: a vantage point's place, a site's host, an organisation and a link to its page. */
export interface Names {
  place: (vantagePoint: string) => string;
  organisation: (id: string | null) => string;
  organisationLink: (id: string) => Node | string;
}

type Words = (Node | string)[];

/**
 * The server's verdict on one check in words. The page decides nothing: which places are compared,
 * which are worse and who answers for them all come from /api/v1/systems/:id/responsibility.
 */
export function verdictText(
  verdict: CheckVerdict,
  thresholds: SystemResponsibility['thresholds'],
  names: Names,
): Words {
  const { place } = names;
  const silent = verdict.vantagePoints
    .filter((vp) => vp.judged === 'silent')
    .map((vp) => place(vp.vantagePoint));
  const few = verdict.vantagePoints.filter((vp) => vp.judged === 'too-few-runs' && vp.runs > 0);
  const words: Words = [...outcomeText(verdict, thresholds, names)];
  if (verdict.outcome !== 'not-enough-runs' && few.length > 0)
    words.push(
      ` Too few runs yet from ${listInWords(few.map((vp) => place(vp.vantagePoint)))} (under ${thresholds.minRuns}): left out of this comparison.`,
    );
  if (silent.length > 0) {
    const what = silent.includes(place('server')) ? 'vantage point' : 'site';
    words.push(
      ` No recent results from ${plural(silent.length, what)} (${listInWords(silent)}): ${silent.length === 1 ? 'its state is' : 'their states are'} unknown, and left out of this comparison.`,
    );
  }
  return words;
}

/** The outcome in words, each organisation answering for it named with a link to its page. */
function outcomeText(
  verdict: CheckVerdict,
  thresholds: SystemResponsibility['thresholds'],
  names: Names,
): Words {
  const { place, organisationLink } = names;
  const anySilent = verdict.vantagePoints.some((vp) => vp.judged === 'silent');
  switch (verdict.outcome) {
    case 'no-results':
      return [anySilent ? 'No recent results to compare.' : 'No results in the last 24 hours.'];
    case 'not-enough-runs': {
      const most = Math.max(0, ...verdict.vantagePoints.map((vp) => vp.runs));
      return [
        `Not enough runs yet to judge: each vantage point needs ${thresholds.minRuns} in the last 24 hours (the most so far is ${most}).`,
      ];
    }
    case 'similar': {
      const left = verdict.vantagePoints.filter((vp) => vp.judged !== 'compared');
      if (left.length === 0) return ['Similar from every vantage point.'];
      return [
        left.every((vp) => vp.judged === 'silent')
          ? 'Similar from every vantage point with recent results.'
          : `Similar from the ${plural(verdict.compared, 'vantage point')} with enough runs.`,
      ];
    }
    case 'system': {
      const owner = verdict.responsible[0]?.organisation ?? null;
      return [
        `Worse from ${verdict.worse} of ${plural(verdict.compared, 'vantage point')}: a matter for the system's owner, `,
        owner === null ? names.organisation(null) : organisationLink(owner),
        '.',
      ];
    }
    case 'local': {
      const [only] = verdict.responsible;
      if (verdict.responsible.length === 1 && only) {
        const at = only.vantagePoints[0] ?? '';
        return only.organisation === null
          ? [`Worse at ${place(at)} only, which no site's host answers for.`]
          : [`Worse at ${place(at)} only: a matter for its host, `, organisationLink(only.organisation), '.'];
      }
      const each: Words = verdict.responsible.flatMap((r, i) => [
        i === 0 ? '' : i === verdict.responsible.length - 1 ? ' and ' : ', ',
        `${place(r.vantagePoints[0] ?? '')} (`,
        r.organisation === null ? 'no host' : organisationLink(r.organisation),
        ')',
      ]);
      return [
        `Worse at ${verdict.worse} of ${plural(verdict.compared, 'vantage point')}, fewer than half: a matter for the host of each, `,
        ...each,
        '.',
      ];
    }
  }
}

/** What was found at one vantage point, for its row in the table. */
export function problemText(
  vp: CheckVerdict['vantagePoints'][number],
  verdict: CheckVerdict,
  thresholds: SystemResponsibility['thresholds'],
): string {
  if (vp.judged === 'silent') return 'left out: no recent results';
  if (vp.judged === 'too-few-runs') return `left out: ${vp.runs} of ${thresholds.minRuns} runs needed`;
  if (vp.problems.length === 0) return 'nothing worse';
  const text: Record<Problem, string> = {
    failing: `failing (${percent(vp.availability)} up, under ${percent(thresholds.availabilityBelow)})`,
    'slower-than-others': `slower than the others (p95 over ${thresholds.slowerThanOthers} times theirs)`,
    'slow-tail': `slow tail (p95 over ${thresholds.slowTail} times the typical ${ms(verdict.typicalMs)})`,
    'over-degraded': `p95 over the check's degraded time, ${ms(verdict.degradedMs)}`,
  };
  return vp.problems.map((p) => text[p]).join('; ');
}
