import { type Request, Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { nameSchema } from '../../../common/fields.js';
import { audit } from '../../access/audit.js';
import { mayMaintain } from '../../access/maintenance-rule.js';
import { actorOf, principalOf } from '../../access/principal.js';
import { allow, read } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import { adHocId, draftWindow, instantOf } from '../../principles/ad-hoc.js';
import { covers } from '../../principles/maintenance.js';
import { pairsOf } from '../../principles/scope.js';
import { allWindows, type Window } from '../../principles/windows.js';
import type { AccessStore } from '../../store/access.js';
import type { MaintenanceScope, MaintenanceStore } from '../../store/maintenance.js';
import { jsonBody } from '../body.js';
import { ApiError, parseInput } from '../errors.js';
import { type MaintenanceResponse, type WindowView, windowView } from '../maintenance-views.js';

const DAY_MS = 86_400_000;
/** The longest period listed: a year and a day, so a window repeated every minute stays a bounded list. */
const MAX_PERIOD_MS = 366 * DAY_MS;
const BODY = { bytes: 16 * 1024, depth: 3 };

const ids = z.array(z.string().max(100)).max(1_000).optional();
const windowBody = z.strictObject({
  title: nameSchema,
  start: z.string().max(40),
  end: z.string().max(40),
  scope: z.strictObject({ systems: ids, sites: ids, checks: ids, tags: ids }),
});
const listQuery = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  check: z.string().max(100).optional(),
});

type Stores = { maintenance: MaintenanceStore; access: AccessStore };

/** A time in the query or body, or a 400 naming where. */
function timeAt(text: string, field: string, where: 'query parameter' | 'field'): number {
  const at = instantOf(text);
  if (at === undefined)
    throw new ApiError(
      'invalid',
      `${where} '${field}': '${text}' is not a time: give YYYY-MM-DDTHH:MM (London time) or ISO 8601 with Z or an offset`,
      [{ path: field, message: 'not a time' }],
    );
  return at;
}

/**
 * Maintenance windows: the estate file's and the ad hoc ones, listed together; ad hoc ones added and
 * ended by admins, or by partners for what their organisations answer for (maintenance-rule.ts).
 */
export function maintenanceRoutes(stores: Stores, clock: Clock, estate: () => Estate | undefined): Router {
  const router = Router();
  const fileWindows = () => estate()?.maintenance ?? [];
  const views = (windows: Window[]): WindowView[] => windows.map((w) => windowView(w, fileWindows()));

  /**
   * Only the windows that cover a check at one of its vantage points at least, each naming those it
   * covers: the check page shades them, by the same rule the accounting reads.
   */
  const forCheck = (id: string) => {
    const current = estate();
    const check = current?.checks.find((c) => c.id === id);
    if (!current || !check)
      throw new ApiError('not_found', `query parameter 'check': no check with id '${id}'`, [
        { path: 'check', message: 'no such check' },
      ]);
    const pairs = pairsOf(current, check);
    return (windows: Window[]): WindowView[] =>
      windows.flatMap((window) => {
        const covered = pairs
          .filter((pair) => covers(window, { check, system: pair.system, site: pair.site }))
          .map((pair) => pair.vantagePoint);
        return covered.length === 0 ? [] : [{ ...windowView(window, fileWindows()), vantagePoints: covered }];
      });
  };

  const refuseUnless = (req: Request, scope: MaintenanceScope, doing: string) => {
    const decision = mayMaintain(principalOf(req), estate(), scope, doing);
    if (!decision.ok)
      throw new ApiError(
        decision.status === 401 ? 'unauthorised' : 'forbidden',
        decision.message,
        decision.details,
      );
  };

  router.get('/maintenance', allow(read), async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query');
    const now = clock.now();
    const to = query.to === undefined ? now : timeAt(query.to, 'to', 'query parameter');
    const from = query.from === undefined ? to - 7 * DAY_MS : timeAt(query.from, 'from', 'query parameter');
    if (to <= from)
      throw new ApiError('invalid', `query parameter 'to': not after 'from'`, [
        { path: 'to', message: 'not after from' },
      ]);
    if (to - from > MAX_PERIOD_MS)
      throw new ApiError('invalid', `query parameter 'to': the period is at most 366 days`, [
        { path: 'to', message: 'period longer than 366 days' },
      ]);
    const only = query.check === undefined ? views : forCheck(query.check);
    const ahead = now + 7 * DAY_MS;
    const upcoming = (await allWindows(estate(), stores.maintenance, now, ahead)).filter(
      (w) => w.spans.length > 0,
    );
    res.json({
      period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      items: only(await allWindows(estate(), stores.maintenance, from, to)),
      upcoming: {
        from: new Date(now).toISOString(),
        to: new Date(ahead).toISOString(),
        items: only(upcoming),
      },
    } satisfies MaintenanceResponse);
  });

  router.post('/maintenance', allow(read), jsonBody(BODY), async (req, res) => {
    const doing = 'adding a maintenance window';
    // Who cannot add any window is told so before what they sent is judged.
    refuseUnless(req, {}, doing);
    const input = parseInput(windowBody, req.body, 'body');
    const current = estate();
    if (!current)
      throw new ApiError('unavailable', 'the estate file is not loaded: windows are checked against it');
    const drafted = draftWindow(input, current, clock.now());
    if (!drafted.ok)
      throw new ApiError('invalid', `field '${drafted.field}': ${drafted.message}`, [
        { path: drafted.field, message: drafted.message },
      ]);
    const { draft } = drafted;
    refuseUnless(req, draft.scope, doing);
    const row = { id: adHocId(), ...draft, createdBy: actorOf(principalOf(req)), createdAt: clock.now() };
    await stores.maintenance.add(row);
    await audit(stores.access, clock, req, {
      action: 'maintenance-added',
      subject: `maintenance:${row.id}`,
      detail: {
        title: row.title,
        start: new Date(row.start).toISOString(),
        end: new Date(row.end).toISOString(),
        scope: row.scope,
      },
    });
    const window: Window = {
      id: row.id,
      title: row.title,
      source: 'ad-hoc',
      spans: [{ from: row.start, to: row.end }],
      scope: row.scope,
      adHoc: { ...row, endedAt: null, endedBy: null },
    };
    res.status(201).json(windowView(window, []));
  });

  router.post('/maintenance/:id/end', allow(read), async (req, res) => {
    const id = String(req.params.id);
    const doing = 'ending a maintenance window';
    refuseUnless(req, {}, doing);
    const row = await stores.maintenance.window(id);
    if (!row) {
      if (fileWindows().some((w) => w.id === id))
        throw new ApiError(
          'conflict',
          `maintenance window '${id}' is in the estate file: edit the file to change or remove it`,
        );
      throw new ApiError('not_found', `no maintenance window with id '${id}'`);
    }
    refuseUnless(req, row.scope, doing);
    const now = clock.now();
    if (row.endedAt !== null)
      throw new ApiError(
        'conflict',
        `maintenance window '${id}' was already ended at ${new Date(row.endedAt).toISOString()}`,
      );
    if (row.end <= now)
      throw new ApiError(
        'conflict',
        `maintenance window '${id}' is already over (it ended at ${new Date(row.end).toISOString()})`,
      );
    const by = actorOf(principalOf(req));
    await stores.maintenance.end(id, now, by);
    const ended = (await stores.maintenance.window(id)) ?? row;
    await audit(stores.access, clock, req, {
      action: 'maintenance-ended',
      subject: `maintenance:${id}`,
      detail: {
        title: row.title,
        end: new Date(ended.end).toISOString(),
        plannedEnd: new Date(row.end).toISOString(),
      },
    });
    const span = ended.end > ended.start ? [{ from: ended.start, to: ended.end }] : [];
    res.json(
      windowView(
        { id, title: ended.title, source: 'ad-hoc', spans: span, scope: ended.scope, adHoc: ended },
        [],
      ),
    );
  });

  return router;
}
