import { h } from './dom.js';
import type { EstateView } from './types.js';

/** The estate's names for its ids, and links to the pages of each, for pages that show ids from the API. */
export interface EstateNames {
  organisation(id: string | null): string;
  site(id: string): string;
  system(id: string): string;
  hostOf(site: string): string | undefined;
  ownerOf(system: string): string | undefined;
  organisationLink(id: string | null): Node | string;
  systemLink(id: string): Node;
}

export function estateNames(estate: EstateView): EstateNames {
  const orgs = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const sites = new Map(estate.sites.map((s) => [s.id, s]));
  const systems = new Map(estate.systems.map((s) => [s.id, s]));
  const names: EstateNames = {
    organisation: (id) => (id === null ? 'no organisation' : (orgs.get(id) ?? id)),
    site: (id) => (id === 'server' ? 'Vantage server' : (sites.get(id)?.name ?? id)),
    system: (id) => systems.get(id)?.name ?? id,
    hostOf: (site) => sites.get(site)?.host,
    ownerOf: (system) => systems.get(system)?.owner,
    organisationLink: (id) =>
      id === null
        ? 'no organisation (the central server has no host)'
        : organisationLink(id, names.organisation(id)),
    systemLink: (id) => h('a', { href: `/systems/${encodeURIComponent(id)}` }, names.system(id)),
  };
  return names;
}

/** A link to an organisation's page: its scorecard and what it is responsible for. */
export function organisationLink(id: string, name: string): HTMLElement {
  return h('a', { href: `/organisations/${encodeURIComponent(id)}` }, name);
}
