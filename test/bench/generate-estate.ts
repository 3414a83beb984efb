/**
 * A large, valid, made-up estate for benchmarks: the same sizes always give the same file, because
 * every choice comes from a seeded generator.
 */

export interface EstateSize {
  sites: number;
  checks: number;
}

const SEED = 20_260_501;
const SYSTEMS = 40;
const SITES_PER_ORGANISATION = 5;

type Weighted<T> = readonly (readonly [T, number])[];

interface Random {
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(choices: Weighted<T>): T;
  sample<T>(items: readonly T[], count: number): T[];
}

interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
}

interface Site {
  id: string;
  name: string;
  host: string;
  kind: string;
}

interface System {
  id: string;
  name: string;
  owner: string;
  kind: SystemKind;
  supplier: string;
}

type OrganisationKind = (typeof organisationKinds)[number][0] | 'commissioner';
type SystemKind = (typeof systemKinds)[number][0];
type CheckType = 'http' | 'tcp' | 'dns' | 'tls';

const organisationKinds = [
  ['gp-practice', 48],
  ['primary-care-network', 10],
  ['acute', 6],
  ['social-care', 6],
  ['community', 4],
  ['gp-federation', 4],
  ['hospice', 4],
  ['local-authority', 4],
  ['other', 4],
  ['mental-health', 3],
  ['community-mental-health', 2],
  ['ambulance', 1],
] as const satisfies Weighted<string>;

const organisationSuffixes: Record<OrganisationKind, string> = {
  commissioner: 'Integrated Care Board',
  'gp-practice': 'Medical Practice',
  'primary-care-network': 'Primary Care Network',
  acute: 'Hospitals NHS Trust',
  'social-care': 'Adult Social Care',
  community: 'Community Health Services',
  'gp-federation': 'GP Federation',
  hospice: 'Hospice',
  'local-authority': 'Borough Council',
  other: 'Health Partnership',
  'mental-health': 'Mental Health NHS Trust',
  'community-mental-health': 'Community and Mental Health NHS Trust',
  ambulance: 'Ambulance Service NHS Trust',
};

/** Large providers run many sites; a GP practice one or two. */
const sitesHostedWeight: Record<OrganisationKind, number> = {
  commissioner: 2,
  'gp-practice': 1,
  'primary-care-network': 1,
  acute: 10,
  'social-care': 8,
  community: 8,
  'gp-federation': 2,
  hospice: 1,
  'local-authority': 6,
  other: 1,
  'mental-health': 8,
  'community-mental-health': 8,
  ambulance: 6,
};

const siteKinds: Record<OrganisationKind, readonly string[]> = {
  commissioner: ['office'],
  'gp-practice': ['surgery'],
  'primary-care-network': ['surgery', 'clinic'],
  acute: ['hospital', 'hospital', 'clinic', 'office'],
  'social-care': ['care-home', 'care-home', 'office'],
  community: ['community', 'clinic'],
  'gp-federation': ['clinic'],
  hospice: ['other'],
  'local-authority': ['office', 'care-home'],
  other: ['office', 'other'],
  'mental-health': ['hospital', 'community', 'clinic'],
  'community-mental-health': ['hospital', 'community', 'clinic'],
  ambulance: ['office', 'other'],
};

const siteSuffixes: Record<string, readonly string[]> = {
  hospital: ['Hospital', 'General Hospital', 'Royal Infirmary'],
  surgery: ['Surgery', 'Medical Centre', 'Health Centre'],
  clinic: ['Clinic', 'Diagnostic Centre', 'Treatment Centre'],
  office: ['House', 'Civic Centre', 'Offices'],
  'care-home': ['Care Home', 'Court Care Home', 'Lodge'],
  community: ['Community Centre', 'Resource Centre', 'Health Hub'],
  other: ['Ambulance Station', 'Depot', 'Hospice'],
};

const systemKinds = [
  ['epr', 8],
  ['gp-system', 3],
  ['shared-care-record', 2],
  ['email', 3],
  ['identity', 3],
  ['network', 6],
  ['wifi', 4],
  ['vdi', 4],
  ['other', 7],
] as const satisfies Weighted<string>;

const systemNames: Record<SystemKind, string> = {
  epr: 'Electronic patient record',
  'gp-system': 'GP clinical system',
  'shared-care-record': 'Shared care record',
  email: 'Email',
  identity: 'Single sign-on',
  network: 'Network gateway',
  wifi: 'Staff wi-fi portal',
  vdi: 'Virtual desktop',
  other: 'Line-of-business application',
};

/** Which kinds of organisation plausibly own a system of each kind. */
const systemOwners: Record<SystemKind, readonly OrganisationKind[]> = {
  epr: ['acute', 'community', 'mental-health', 'community-mental-health'],
  'gp-system': ['commissioner', 'gp-federation'],
  'shared-care-record': ['commissioner'],
  email: ['commissioner', 'acute'],
  identity: ['commissioner', 'acute'],
  network: ['commissioner', 'acute', 'local-authority'],
  wifi: ['acute', 'community', 'local-authority'],
  vdi: ['acute', 'mental-health', 'commissioner'],
  other: ['social-care', 'local-authority', 'hospice', 'ambulance', 'other'],
};

const places = [
  'Riverside',
  'Leaside',
  'Eastmarsh',
  'Millwater',
  'Bow Yard',
  'Canal Street',
  'Poplar Walk',
  'Greenway',
  'Thames Reach',
  'Wharf Road',
  'Marsh Lane',
  'Highfield',
  'Northgate',
  'Kingsmead',
  'Ashby',
  'Brookside',
  'Cedar Park',
  'Elmstead',
  'Foxley',
  'Hartwell',
];

const suppliers = [
  'Northgate Clinical Systems Ltd',
  'Larkspur Health Software',
  'Meridian Primary Care',
  'Harbour Networks',
  'Cobalt Identity',
  'Fenwick Digital',
];

const checkTypes = [
  ['http', 70],
  ['tcp', 12],
  ['dns', 10],
  ['tls', 8],
] as const satisfies Weighted<CheckType>;

const intervals = [
  ['30s', 10],
  ['1m', 45],
  ['2m', 25],
  ['5m', 20],
] as const satisfies Weighted<string>;

const httpPaths = ['login', 'api/health', 'portal', 'status', 'search', 'sso/authorize', 'owa'];
const tcpPorts = [25, 443, 1433, 3389, 5432, 8443];
const degradedMs = [1000, 1500, 2000, 3000];

export function generateEstateYaml(size: EstateSize): string {
  const random = seededRandom(SEED);
  const organisations = makeOrganisations(
    random,
    Math.max(1, Math.round(size.sites / SITES_PER_ORGANISATION)),
  );
  const sites = makeSites(random, organisations, size.sites);
  const systems = makeSystems(random, organisations, Math.min(SYSTEMS, Math.max(1, size.checks)));
  const siteIds = sites.map((site) => site.id);
  const checks = Array.from({ length: size.checks }, (_, index) =>
    makeCheck(random, index, random.pick(systems), siteIds),
  );
  return [
    `# Generated by test/bench/generate-estate.ts: ${organisations.length} organisations, ` +
      `${sites.length} sites, ${systems.length} systems, ${checks.length} checks.`,
    section('organisations', organisations),
    section('sites', sites),
    section('systems', systems),
    section('checks', checks),
  ].join('\n');
}

function makeOrganisations(random: Random, count: number): Organisation[] {
  return Array.from({ length: count }, (_, index) => {
    // One integrated care board commissions the rest, as in a real health and care economy.
    const kind: OrganisationKind = index === 0 ? 'commissioner' : random.weighted(organisationKinds);
    const place = places[index % places.length] ?? 'Central';
    return {
      id: `org-${pad(index + 1)}`,
      name: `${place} ${organisationSuffixes[kind]} ${index + 1}`,
      kind,
    };
  });
}

function makeSites(random: Random, organisations: Organisation[], count: number): Site[] {
  const hostWeights = organisations.map((org) => [org, sitesHostedWeight[org.kind]] as const);
  return Array.from({ length: count }, (_, index) => {
    // Every organisation hosts at least one site; the rest go mostly to the large providers.
    const host = organisations[index] ?? random.weighted(hostWeights);
    const kind = random.pick(siteKinds[host.kind]);
    return {
      id: `site-${pad(index + 1)}`,
      name: `${random.pick(places)} ${random.pick(siteSuffixes[kind] ?? ['Site'])} ${index + 1}`,
      host: host.id,
      kind,
    };
  });
}

function makeSystems(random: Random, organisations: Organisation[], count: number): System[] {
  return Array.from({ length: count }, (_, index) => {
    const kind = random.weighted(systemKinds);
    const owners = organisations.filter((org) => systemOwners[kind].includes(org.kind));
    return {
      id: `${kind}-${index + 1}`,
      name: `${systemNames[kind]} ${index + 1}`,
      owner: random.pick(owners.length > 0 ? owners : organisations).id,
      kind,
      supplier: random.pick(suppliers),
    };
  });
}

function makeCheck(random: Random, index: number, system: System, siteIds: string[]): FlowMap {
  const type = random.weighted(checkTypes);
  const host = `${system.id}-${random.int(1, 25)}.example.org`;
  const common = { id: `${system.id}-${type}-${index + 1}`, system: system.id, type };
  const every = random.weighted(intervals);
  switch (type) {
    case 'http':
      return {
        ...common,
        target: `https://${host}/${random.pick(httpPaths)}`,
        every,
        timeout: '10s',
        from: random.sample(siteIds, random.int(1, 5)),
        expect: { status: [200], degradedMs: random.pick(degradedMs) },
      };
    case 'tcp':
      return {
        ...common,
        target: `${host}:${random.pick(tcpPorts)}`,
        every,
        timeout: '5s',
        from: random.sample(siteIds, random.int(1, 3)),
        expect: { degradedMs: 250 },
      };
    case 'dns':
      return { ...common, target: host, every, timeout: '5s', record: 'A' };
    case 'tls':
      return { ...common, target: `${host}:443`, every, timeout: '5s', expect: { minDaysToExpiry: 14 } };
  }
}

// --- YAML in flow style, one entity a line ---

type FlowValue = string | number | boolean | FlowValue[] | FlowMap;
interface FlowMap {
  [key: string]: FlowValue;
}

function section(name: string, items: readonly object[]): string {
  return `${name}:\n${items.map((item) => `  - ${flow(item as FlowMap)}\n`).join('')}`;
}

function flow(value: FlowValue): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${flow(item)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string') return scalar(value);
  return String(value);
}

/** Plain where YAML reads the text back as the same string, double-quoted (JSON is valid YAML) otherwise. */
function scalar(text: string): string {
  const plain =
    /^[A-Za-z0-9][\w .'-]*$/.test(text) &&
    !/^[-+]?[\d.]+$/.test(text) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(text) &&
    !text.endsWith(' ');
  return plain ? text : JSON.stringify(text);
}

function pad(n: number): string {
  return String(n).padStart(3, '0');
}

// --- Deterministic choices ---

/** mulberry32: small, fast and good enough to spread choices; not for anything secret. */
function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error('cannot pick from an empty list');
    return item;
  };
  const weighted = <T>(choices: Weighted<T>): T => {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return pick(choices)[0];
  };
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const chosen = new Set<T>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(pick(items));
    return [...chosen];
  };
  return { int, pick, weighted, sample };
}
