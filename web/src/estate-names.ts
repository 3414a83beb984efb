import { h } from './dom.js';
import type { EstateView } from './types.js';

/** The estate's names for its ids, and links to the pages of each, for pages that show ids from the API. */
export interface EstateNames {
  organisation(id: string | null): string;
  /** Null for a survey figure of a whole system: every site. */
  site(id: string | null): string;
  system(id: string): string;
  hostOf(site: string | null): string | undefined;
  ownerOf(system: string | null): string | undefined;
  organisationLink(id: string | null): Node | string;
  /** Null for a survey figure about a site: no one system. */
  systemLink(id: string | null): Node | string;
}

export function estateNames(estate: EstateView): EstateNames {
  const orgs = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const sites = new Map(estate.sites.map((s) => [s.id, s]));
  const systems = new Map(estate.systems.map((s) => [s.id, s]));
  const names: EstateNames = {
    organisation: (id) => (id === null ? 'no organisation' : (orgs.get(id) ?? id)),
    site: (id) =>
      id === null ? 'all sites' : id === 'server' ? 'Vantage server' : (sites.get(id)?.name ?? id),
    system: (id) => systems.get(id)?.name ?? id,
    hostOf: (site) => (site === null ? undefined : sites.get(site)?.host),
    ownerOf: (system) => (system === null ? undefined : systems.get(system)?.owner),
    organisationLink: (id) =>
      id === null
        ? 'no organisation (the central server has no host)'
        : organisationLink(id, names.organisation(id)),
    systemLink: (id) =>
      id === null
        ? 'the site as a whole'
        : h('a', { href: `/systems/${encodeURIComponent(id)}` }, names.system(id)),
  };
  return names;
}

/** A link to an organisation's page: its scorecard and what it is responsible for. */
export function organisationLink(id: string, name: string): HTMLElement {
  return h('a', { href: `/organisations/${encodeURIComponent(id)}` }, name);
}
