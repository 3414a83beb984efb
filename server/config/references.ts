import { didYouMean } from '../../common/suggest.js';
import { type EntityList, entityKinds } from './schema.js';

export type Path = (string | number)[];

/** A problem found at a path of the estate document, before it is given a line and column. */
export interface PathIssue {
  path: Path;
  message: string;
  /** Point at the key rather than its value (unknown keys, unknown ids used as keys). */
  atKey?: boolean;
  /** Another place the message refers to ("first defined at line N"). */
  related?: Path;
}

type Raw = Record<string, unknown>;

function list(raw: Raw, name: EntityList): Raw[] {
  const value = raw[name];
  return Array.isArray(value) ? value.map((item) => (isRecord(item) ? item : {})) : [];
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Duplicate ids within a kind and references to ids that are not defined. Works on the raw document,
 * so it reports alongside shape errors rather than only after the shape is valid.
 */
export function referenceIssues(raw: unknown): PathIssue[] {
  if (!isRecord(raw)) return [];
  const issues: PathIssue[] = [];
  const ids = {} as Record<EntityList, Set<string>>;

  for (const name of Object.keys(entityKinds) as EntityList[]) {
    const firstIndex = new Map<string, number>();
    list(raw, name).forEach((item, index) => {
      if (typeof item.id !== 'string') return;
      const first = firstIndex.get(item.id);
      if (first === undefined) {
        firstIndex.set(item.id, index);
      } else {
        issues.push({
          path: [name, index, 'id'],
          message: `duplicate ${entityKinds[name]} id '${item.id}'`,
          related: [name, first, 'id'],
        });
      }
    });
    ids[name] = new Set(firstIndex.keys());
  }

  const expectRef = (path: Path, value: unknown, target: EntityList, atKey = false) => {
    if (typeof value !== 'string' || ids[target].has(value)) return;
    issues.push({
      path,
      atKey,
      message: `unknown ${entityKinds[target]} '${value}'${didYouMean(value, ids[target])}`,
    });
  };
  const expectRefs = (path: Path, values: unknown, target: EntityList) => {
    if (!Array.isArray(values)) return;
    values.forEach((value, i) => {
      expectRef([...path, i], value, target);
    });
  };

  list(raw, 'sites').forEach((site, i) => {
    expectRef(['sites', i, 'host'], site.host, 'organisations');
  });
  list(raw, 'systems').forEach((system, i) => {
    expectRef(['systems', i, 'owner'], system.owner, 'organisations');
  });
  list(raw, 'checks').forEach((check, i) => {
    expectRef(['checks', i, 'system'], check.system, 'systems');
    expectRefs(['checks', i, 'from'], check.from, 'sites');
  });
  list(raw, 'principles').forEach((principle, i) => {
    if (!isRecord(principle.scope)) return;
    expectRefs(['principles', i, 'scope', 'systems'], principle.scope.systems, 'systems');
    expectRefs(['principles', i, 'scope', 'sites'], principle.scope.sites, 'sites');
    expectRefs(['principles', i, 'scope', 'organisations'], principle.scope.organisations, 'organisations');
  });
  list(raw, 'channels').forEach((channel, i) => {
    expectRef(['channels', i, 'organisation'], channel.organisation, 'organisations');
  });
  const routes = isRecord(raw.alerts) && Array.isArray(raw.alerts.routes) ? raw.alerts.routes : [];
  routes.forEach((route: unknown, i) => {
    if (isRecord(route)) expectRef(['alerts', 'routes', i, 'channel'], route.channel, 'channels');
  });
  const steps = isRecord(raw.alerts) && Array.isArray(raw.alerts.escalate) ? raw.alerts.escalate : [];
  steps.forEach((step: unknown, i) => {
    if (!isRecord(step)) return;
    expectRefs(['alerts', 'escalate', i, 'channels'], step.channels, 'channels');
    expectRefs(['alerts', 'escalate', i, 'organisations'], step.organisations, 'organisations');
  });
  burnRateIssues(raw, ids.principles, issues);
  list(raw, 'maintenance').forEach((window, i) => {
    if (!isRecord(window.scope)) return;
    expectRefs(['maintenance', i, 'scope', 'systems'], window.scope.systems, 'systems');
    expectRefs(['maintenance', i, 'scope', 'sites'], window.scope.sites, 'sites');
    expectRefs(['maintenance', i, 'scope', 'checks'], window.scope.checks, 'checks');
  });
  list(raw, 'surveys').forEach((survey, i) => {
    if (!isRecord(survey.systems)) return;
    for (const system of Object.keys(survey.systems))
      expectRef(['surveys', i, 'systems', system], system, 'systems', true);
  });
  const oidc = isRecord(raw.access) && isRecord(raw.access.oidc) ? raw.access.oidc : undefined;
  for (const map of ['roles', 'groups', 'emails'] as const) {
    const grants = oidc?.[map];
    if (!isRecord(grants)) continue;
    for (const [key, grant] of Object.entries(grants)) {
      if (isRecord(grant))
        expectRefs(['access', 'oidc', map, key, 'organisations'], grant.organisations, 'organisations');
    }
  }
  return issues;
}

/** The burn-rate rule's principles: each one defined, and an availability or latency principle (each has a budget). */
function burnRateIssues(raw: Raw, principles: Set<string>, issues: PathIssue[]): void {
  const rules = isRecord(raw.alerts) && isRecord(raw.alerts.rules) ? raw.alerts.rules : {};
  const named = isRecord(rules.burnRate) ? rules.burnRate.principles : undefined;
  if (!Array.isArray(named)) return;
  const metrics = new Map(list(raw, 'principles').map((p) => [p.id, p.metric]));
  named.forEach((id: unknown, i) => {
    if (typeof id !== 'string') return;
    const path = ['alerts', 'rules', 'burnRate', 'principles', i];
    if (!principles.has(id))
      issues.push({ path, message: `unknown principle '${id}'${didYouMean(id, principles)}` });
    else if (metrics.get(id) !== 'availability' && metrics.get(id) !== 'latency')
      issues.push({
        path,
        message: `principle '${id}' measures ${String(metrics.get(id))}, which has no error budget to burn: the burn-rate rule reads availability and latency principles only`,
      });
  });
}
