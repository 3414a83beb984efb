import { accountCheck, type VantageTimeline } from '../../principles/accounting.js';

/** A vantage point's state now, as the failures rule sees it. */
export type PointState = 'down' | 'up' | 'unknown';

export interface Attributed {
  vantagePoint: string;
  organisation: string | null;
  role: 'owner' | 'host';
}

/**
 * Whose each down vantage point of a check is, now: the principles' own accounting asked about one
 * instant, so alerts and reports can never disagree about whose problem it was. Down from at least half
 * of the vantage points whose state is known is the system owner's; fewer, the host's of each site. An
 * unknown vantage point (a silent agent, one never heard) counts neither way.
 */
export function localise(
  owner: string,
  points: readonly { vantagePoint: string; host: string | null; state: PointState }[],
): Attributed[] {
  const at = 0;
  const moment = [{ from: at, to: at + 1 }];
  const vantages: VantageTimeline[] = points.map((point) => ({
    vantagePoint: point.vantagePoint,
    host: point.host,
    stretches: point.state === 'unknown' ? [] : [{ from: at, to: at + 1, state: point.state }],
    maintenance: [],
  }));
  const accounts = accountCheck(owner, vantages, moment);
  const attributed: Attributed[] = [];
  for (const account of accounts) {
    const share = account.attribution[0];
    if (share)
      attributed.push({
        vantagePoint: account.vantagePoint,
        organisation: share.organisation,
        role: share.role,
      });
  }
  return attributed;
}
