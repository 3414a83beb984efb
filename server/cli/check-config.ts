import { shownReferences } from '../../common/env-references.js';
import { formatConfigError, loadEstateFile } from '../config/load.js';
import type { Channel, OidcSettings, Principle } from '../config/schema.js';
import { parseCommand, UsageError } from './usage.js';

export function checkConfigCommand(args: string[], out: (line: string) => void): number {
  const { positionals } = parseCommand('check-config', args, {}, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('vantage check-config: name the estate file to check');
  const result = loadEstateFile(file);
  if (!result.ok) {
    for (const error of result.errors) out(formatConfigError(error));
    return 1;
  }
  const e = result.estate;
  out(
    `${file}: valid (${e.organisations.length} organisations, ${e.sites.length} sites, ` +
      `${e.systems.length} systems, ${e.checks.length} checks, ${e.surveys.length} surveys)` +
      evaluated(e.principles) +
      notYetEvaluated(e.principles.filter((p) => !EVALUATED.includes(p.metric)).length) +
      channelsSummary(e.channels),
  );
  if (e.access.oidc) out(`${file}: ${signInSummary(e.access.oidc)}`);
  return 0;
}

/** How people sign in through the identity provider, and what their roles come from. */
export function signInSummary(oidc: OidcSettings): string {
  const count = (map: object | undefined, noun: string) => {
    const n = Object.keys(map ?? {}).length;
    return n > 0 ? `${n} ${noun}${n === 1 ? '' : 's'}` : '';
  };
  const roles = oidc.roles
    ? count(oidc.roles, 'app role')
    : 'app roles by convention (Vantage.Admin, Vantage.Viewer, Vantage.Partner.<organisation>)';
  const from = [roles, count(oidc.groups, 'group'), count(oidc.emails, 'email')].filter(Boolean);
  return (
    `sign-in with OpenID Connect at ${oidc.issuer} (client ${oidc.clientId}, secret from ${shownReferences(oidc.clientSecret)}); ` +
    `roles from ${from.join(', ')}`
  );
}

/** The metrics whose principles are judged (the principles API); the summary counts them apart. */
const EVALUATED: readonly Principle['metric'][] = [
  'availability',
  'latency',
  'certificate-expiry',
  'survey-score',
  'survey-net',
  'survey-share',
];

function evaluated(principles: readonly Principle[]): string {
  const judged = principles.filter((p) => EVALUATED.includes(p.metric));
  if (judged.length === 0) return '';
  const byMetric = EVALUATED.map(
    (metric) => [metric, judged.filter((p) => p.metric === metric).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([metric, n]) => `${n} ${metric}`);
  return `; ${judged.length} ${judged.length === 1 ? 'principle' : 'principles'} evaluated (${byMetric.join(', ')})`;
}

/**
 * Other principles are checked and kept, but nothing measures against them yet: the summary says so
 * rather than counting them beside what is acted on.
 */
function notYetEvaluated(principles: number): string {
  if (principles === 0) return '';
  return `; ${principles} ${principles === 1 ? 'principle' : 'principles'} accepted, not yet evaluated (no figures from them yet)`;
}

/** Channels are checked here and messages are sent to them (a test message from the dashboard, alerts). */
function channelsSummary(channels: readonly Channel[]): string {
  if (channels.length === 0) return '';
  const types = [...new Set(channels.map((c) => c.type))].map(
    (type) => `${channels.filter((c) => c.type === type).length} ${type}`,
  );
  return `; ${channels.length} ${channels.length === 1 ? 'channel' : 'channels'} checked, messages can be sent to them (${types.join(', ')})`;
}
