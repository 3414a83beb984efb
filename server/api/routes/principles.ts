import { Router } from 'express';
import { z } from 'zod';
import { DAY_MS } from '../../../common/calendar.js';
import type { Clock } from '../../../common/clock.js';
import { ACCOUNTING_VERSION } from '../../../principles/accounting.js';
import { allow, read } from '../../access/rules.js';
import type { Estate, Principle } from '../../config/schema.js';
import { ACCOUNTING_TEXT } from '../../principles/accounting-text.js';
import {
  type Compliance,
  compliance,
  complianceOf,
  targetOf,
  worstItems,
} from '../../principles/compliance.js';
import type { ComplianceThread } from '../../principles/compliance-thread.js';
import { organisationOutages } from '../../principles/organisation-outages.js';
import { outagesOf } from '../../principles/outages.js';
import { PERIOD_FORMS, type Period, parsePeriod } from '../../principles/period.js';
import type { Stores } from '../../store/stores.js';
import { keptFigures } from '../../survey/results-cache.js';
import { ApiError, parseInput } from '../errors.js';
import { periodQueried } from '../period-query.js';
import { simulatedPart } from '../simulated.js';
import type {
  ComplianceListResponse,
  ComplianceResponse,
  OrganisationComplianceResponse,
  OrganisationOutagesResponse,
  OutagesResponse,
  PrinciplesResponse,
} from '../types.js';

const periodQuery = z.strictObject({ period: z.string().max(20).optional() });

const instant = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 time, such as 2026-11-24T09:00:00Z')
  .transform((text) => Date.parse(text));
const spanQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  hours: z.enum(['core', '24x7']).optional(),
});

/** Outages are listed over at most as long as a principle may look back. */
const MAX_OUTAGE_SPAN = 400 * DAY_MS;

const instantOf = (at: number | string) => (typeof at === 'number' ? at : Date.parse(at));

/** A period's text read, or a 400 naming `period` and the forms it takes. */
const periodOf = (text: string, now: number): Period =>
  periodQueried(() => parsePeriod(text, now), PERIOD_FORMS);

export interface PrincipleRouteDeps {
  stores: Pick<Stores, 'results' | 'maintenance' | 'survey' | 'demoHistory'>;
  clock: Clock;
  /** The estate as configured now: principles and maintenance windows are read from it. */
  estate: () => Estate | undefined;
  /** The thread latency work is shared with; omitted, all of it is done in this one. */
  thread?: ComplianceThread | undefined;
}

/** Principles judged over a period: each one's status, the evidence item by item, and outages. */
export function principleRoutes({ stores: given, clock, estate, thread }: PrincipleRouteDeps): Router {
  const router = Router();
  // A campaign's results are worked out once for every survey principle and scorecard that reads them.
  const stores = {
    results: given.results,
    maintenance: given.maintenance,
    survey: given.survey,
    surveyFigures: keptFigures(given.survey),
    ...(thread ? { thread } : {}),
  };
  /** The part of a period (instants, or ISO 8601 as answers carry it) the demo simulated, spread into each answer over it. */
  const simulated = (period: { from: number | string; to: number | string }) =>
    simulatedPart(given.demoHistory, instantOf(period.from), instantOf(period.to));
  const configured = (): Estate => {
    const now = estate();
    if (!now) throw new ApiError('not_found', 'no estate is configured yet');
    return now;
  };
  const principleOf = (id: string): Principle => {
    const principle = configured().principles.find((p) => p.id === id);
    if (!principle) throw new ApiError('not_found', `no principle with id '${id}'`);
    return principle;
  };

  /** Principles judged over the period each is given, those sharing a period in one pass. */
  const judgeAll = async (
    current: Estate,
    principles: readonly Principle[],
    periodText: (principle: Principle) => string,
    now: number,
  ): Promise<Map<string, Compliance>> => {
    const byPeriod = new Map<string, Principle[]>();
    for (const principle of principles) {
      const text = periodText(principle);
      byPeriod.set(text, [...(byPeriod.get(text) ?? []), principle]);
    }
    const judged = new Map<string, Compliance>();
    for (const [text, sharing] of byPeriod)
      for (const answer of await complianceOf(current, stores, sharing, periodOf(text, now)))
        judged.set(answer.principle.id, answer);
    return judged;
  };

  router.get('/principles', allow(read), async (req, res) => {
    parseInput(z.strictObject({}), req.query, 'query');
    const now = clock.now();
    const current = estate();
    const principles = current?.principles ?? [];
    const answer: PrinciplesResponse = {
      accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
      principles: [],
    };
    const judgedAll = await judgeAll(current as Estate, principles, (p) => p.window ?? '30d', now);
    for (const principle of principles) {
      const window = principle.window ?? '30d';
      const judged = judgedAll.get(principle.id) as Compliance;
      answer.principles.push({
        id: principle.id,
        title: principle.title,
        metric: principle.metric,
        status: judged.status,
        value: judged.value,
        target: targetOf(principle),
        window,
        period: judged.period,
        ...(judged.message ? { message: judged.message } : {}),
        worst: worstItems(judged, 3),
        ...(await simulated(judged.period)),
      });
    }
    res.json(answer);
  });

  /** Every principle over one period (or each over its own window): a scorecard's figures in one pass. */
  router.get('/compliance', allow(read), async (req, res) => {
    const query = parseInput(periodQuery, req.query, 'query');
    const current = configured();
    const now = clock.now();
    const judgedAll = await judgeAll(
      current,
      current.principles,
      (p) => query.period ?? p.window ?? '30d',
      now,
    );
    const answer: ComplianceListResponse = {
      accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
      items: [],
    };
    for (const principle of current.principles) {
      const judged = judgedAll.get(principle.id) as Compliance;
      answer.items.push({ ...judged, target: targetOf(principle), ...(await simulated(judged.period)) });
    }
    res.json(answer);
  });

  router.get('/principles/:id/compliance', allow(read), async (req, res) => {
    const query = parseInput(periodQuery, req.query, 'query');
    const principle = principleOf(req.params.id as string);
    const period = periodOf(query.period ?? principle.window ?? '30d', clock.now());
    const answer: ComplianceResponse = {
      ...(await compliance(configured(), stores, principle, period)),
      ...(await simulated(period)),
    };
    res.json(answer);
  });

  /**
   * One partner's scorecard: every principle over the period (or its own window), the partner's own
   * figure (over what it hosts and owns), and only the gaps whose minutes are attributed to it.
   */
  router.get('/organisations/:id/compliance', allow(read), async (req, res) => {
    const query = parseInput(periodQuery, req.query, 'query');
    const current = configured();
    const organisation = current.organisations.find((o) => o.id === req.params.id);
    if (!organisation) throw new ApiError('not_found', `no organisation with id '${req.params.id}'`);
    const now = clock.now();
    const answer: OrganisationComplianceResponse = {
      organisation: { id: organisation.id, name: organisation.name },
      accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
      principles: [],
    };
    const judgedAll = await judgeAll(
      current,
      current.principles,
      (p) => query.period ?? p.window ?? '30d',
      now,
    );
    for (const principle of current.principles) {
      const judged = judgedAll.get(principle.id) as Compliance;
      const own = judged.byOrganisation.find((o) => o.organisation === organisation.id);
      const gaps = judged.items.flatMap((item) => {
        const theirs = item.attribution.filter((a) => a.organisation === organisation.id);
        const minutes = theirs.reduce((sum, a) => sum + a.minutes, 0);
        // A survey figure has no minutes: its gap is a breached item the organisation answers for.
        return minutes > 0 || (item.status === 'breached' && theirs.length > 0)
          ? [
              {
                site: item.site,
                system: item.system,
                status: item.status,
                value: item.value,
                minutes,
                roles: theirs,
              },
            ]
          : [];
      });
      answer.principles.push({
        id: principle.id,
        title: principle.title,
        metric: principle.metric,
        period: judged.period,
        status: own?.status ?? (judged.status === 'not-evaluated' ? 'not-evaluated' : 'no-data'),
        value: own?.value ?? null,
        target: targetOf(principle),
        responsibleMinutes: gaps.reduce((sum, gap) => sum + gap.minutes, 0),
        gaps: gaps.sort((a, b) => b.minutes - a.minutes),
        ...(judged.message ? { message: judged.message } : {}),
        ...(await simulated(judged.period)),
      });
    }
    res.json(answer);
  });

  /** The outages over a period (30 days unless given) with minutes attributed to one partner. */
  router.get('/organisations/:id/outages', allow(read), async (req, res) => {
    const query = parseInput(periodQuery, req.query, 'query');
    const current = configured();
    const organisation = current.organisations.find((o) => o.id === req.params.id);
    if (!organisation) throw new ApiError('not_found', `no organisation with id '${req.params.id}'`);
    const period = periodOf(query.period ?? '30d', clock.now());
    const outages = await organisationOutages(current, stores, organisation.id, period.from, period.to);
    const answer: OrganisationOutagesResponse = {
      organisation: { id: organisation.id, name: organisation.name },
      period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
      accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
      minutes: outages.reduce((sum, outage) => sum + outage.ours, 0),
      outages,
      ...(await simulated(period)),
    };
    res.json(answer);
  });

  router.get('/checks/:id/outages', allow(read), async (req, res) => {
    const query = parseInput(spanQuery, req.query, 'query');
    const current = configured();
    const check = current.checks.find((c) => c.id === req.params.id);
    if (!check) throw new ApiError('not_found', `no check with id '${req.params.id}'`);
    const to = query.to ?? clock.now();
    const from = query.from ?? to - 30 * DAY_MS;
    if (from >= to)
      throw new ApiError(
        'invalid',
        `query parameter 'from': ${new Date(from).toISOString()} is not before to`,
        [{ path: 'from', message: 'from is not before to' }],
      );
    if (to - from > MAX_OUTAGE_SPAN)
      throw new ApiError('invalid', "query parameters 'from' and 'to': at most 400 days apart", [
        { path: 'from', message: 'at most 400 days before to' },
      ]);
    const answer: OutagesResponse = {
      checkId: check.id,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
      ...(query.hours ? { hours: query.hours } : {}),
      vantagePoints: await outagesOf(current, stores, check, from, to, query.hours),
      ...(await simulated({ from, to })),
    };
    res.json(answer);
  });

  return router;
}
