import { type Env, resolveEnv, unsetNames } from '../../common/env-references.js';
import type { Channel, Estate } from '../config/schema.js';
import type { LastDelivery } from '../store/notifications.js';

/**
 * A channel as the API shows it: where its messages go, told without its secrets (an email channel's
 * addresses; a web channel's scheme and host, never the path or query that hold its key), and how its
 * deliveries stand.
 */
export interface ChannelView {
  id: string;
  organisation: string;
  organisationName: string;
  type: Channel['type'];
  name: string | null;
  /** `it-alerts@riverside.example.org`, or `https://hooks.slack.com`. */
  destination: string;
  lastDelivery: { at: string; ok: boolean; reason: string | null } | null;
  pending: number;
  undelivered: number;
}

export interface ChannelsResponse {
  items: ChannelView[];
  /** In the demo: the page where what its channels deliver can be read. */
  demoInbox?: string;
}

/** The address a web channel posts to, cut to its scheme and host; its `${NAME}` read from the environment. */
export function destinationOf(channel: Channel, env: Env): string {
  if (channel.type === 'email') return channel.to.join(', ');
  if (unsetNames(channel.url, env).length > 0) return 'an address from the environment, which is not set';
  const url = URL.parse(resolveEnv(channel.url, env));
  return url ? `${url.protocol}//${url.host}` : 'an address that is not a URL';
}

export function channelView(
  channel: Channel,
  estate: Estate,
  env: Env,
  figures: {
    last: ReadonlyMap<string, LastDelivery>;
    pending: ReadonlyMap<string, number>;
    undelivered: ReadonlyMap<string, number>;
  },
): ChannelView {
  const delivery = figures.last.get(channel.id);
  return {
    id: channel.id,
    organisation: channel.organisation,
    organisationName:
      estate.organisations.find((o) => o.id === channel.organisation)?.name ?? channel.organisation,
    type: channel.type,
    name: channel.name ?? null,
    destination: destinationOf(channel, env),
    lastDelivery: delivery
      ? { at: new Date(delivery.at).toISOString(), ok: delivery.ok, reason: delivery.reason }
      : null,
    pending: figures.pending.get(channel.id) ?? 0,
    undelivered: figures.undelivered.get(channel.id) ?? 0,
  };
}
