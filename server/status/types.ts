/**
 * The staff status page's answer: what is working now, where, and what is planned. It may be open to
 * anyone (`access.public: [status]`), so it holds names only: no check targets, errors, agents or ids
 * (ids are added for signed-in readers, for links to the system and site pages).
 */

/** A system's state now at one place: `slow` is degraded; `unknown` is silence, never a failure. */
export type CellState = 'up' | 'slow' | 'down' | 'unknown' | 'maintenance';

export interface StatusCell {
  system: string;
  /** Signed-in readers only. */
  systemId?: string;
  state: CellState;
  /** When it went down (ISO 8601), for a down cell whose start is known. */
  since?: string;
}

export interface StatusPlace {
  /** A site's name, or "the Vantage server" for checks made centrally. */
  name: string;
  kind: 'site' | 'server';
  /** Signed-in readers only. */
  siteId?: string;
  systems: StatusCell[];
}

export interface StatusIncident {
  /** `system`: down from at least half of the places that can see it (its owner's); `site`: one place's. */
  kind: 'system' | 'site';
  /** In plain words, such as "Marsh Lane Centre cannot reach 5 systems since 09:42". */
  text: string;
  since: string | null;
  /** The systems and places it concerns, by name. */
  systems: string[];
  places: string[];
}

export interface StatusMaintenance {
  title: string;
  from: string;
  to: string;
  /** What it covers, by name: these systems wherever they are, and everything at these sites. */
  systems: string[];
  sites: string[];
}

export interface StatusResponse {
  at: string;
  places: StatusPlace[];
  incidents: StatusIncident[];
  maintenance: { now: StatusMaintenance[]; next: StatusMaintenance[]; until: string };
}
