import { londonTime } from './format.js';
import type { VantagePointState } from './types.js';

const organisationKinds: Record<string, string> = {
  acute: 'Acute trust',
  community: 'Community trust',
  'mental-health': 'Mental health trust',
  'community-mental-health': 'Community and mental health trust',
  'gp-practice': 'GP practice',
  'gp-federation': 'GP federation',
  'primary-care-network': 'Primary care network',
  'social-care': 'Social care',
  'local-authority': 'Local authority',
  commissioner: 'Commissioner',
  ambulance: 'Ambulance trust',
  hospice: 'Hospice',
  other: 'Other',
};

export function organisationKind(kind: string): string {
  return organisationKinds[kind] ?? kind;
}

export function schedule(s: { every: string } | { cron: string }): string {
  return 'every' in s ? `every ${s.every}` : `cron ${s.cron}`;
}

/** Where a site's agent is on the agents page, for links from elsewhere. */
export function agentAnchor(site: string): string {
  return `site-${site}`;
}

/** Why a vantage point's state is unknown, with the time of its last run as staff read it. */
export function unknownReason(vp: VantagePointState): string {
  if (vp.missedRuns !== undefined && vp.lastRunAt !== null)
    return `no result for ${vp.missedRuns} runs: the last started ${londonTime(vp.lastRunAt)}`;
  return vp.reason ?? 'no recent result';
}
