/**
 * Generated demo data for the usability survey. NOTHING HERE CAME FROM A REAL RESPONDENT.
 *
 * The demo estate's campaigns are filled with made-up responses so the survey dashboard has something
 * to show. Each one is built by `checkResponse`, exactly as a real submission is, so it passes the same
 * checks, is scored the same way and has its comment redacted the same way; it is then marked
 * `demo: true` and stored with `demo = 1`, so every view and export can label it as demo data and it
 * can never be mistaken for, or mixed unnoticed with, real answers.
 *
 * The numbers are deterministic (a seeded generator, no Math.random, no clock unless `now` is left
 * out) and tell a story that matches the rest of the demo (behaviour.ts, network.ts):
 * - Each system has an underlying usability level, as a SUS score (UMUX-Lite systems are generated on
 *   the SUS-equivalent scale): the Riverside EPR is poor in 2025 (≈ 62) and improves to the benchmark
 *   (≈ 68) in 2026; the shared care record is poor (it slows down four-fold several times an hour);
 *   email is good; the GP system is fair to good.
 * - Sites with a local network problem rate worse: Marsh Lane's congested link (slower responses and
 *   time to record), Greenway Court's lossy line (Wi-Fi, availability), Canal Street's link that drops
 *   (availability, time lost).
 * - Group sizes vary as they do in life: nursing is the largest staff group, hardly anyone picks
 *   "Other", and the care home returns only a handful, so the dashboard shows withheld groups.
 */

import { DAY_MS, londonDateOf, londonDayText } from '../../common/calendar.js';
import { fnv1a } from '../../runs/plan.js';
import type { StoredResponse } from '../../surveys/counts.js';
import { type InstrumentId, instrumentItems, instruments } from '../../surveys/instruments.js';
import { checkResponse, type ResponseInput } from '../../surveys/response.js';
import type { Estate, Survey } from '../config/schema.js';
import type { SurveyStore } from '../store/survey.js';
import { generator, standardNormal } from './random.js';

export interface DemoSurveyOptions {
  /** Seeds the generator; the same seed, estate, campaign and day give the same responses. */
  seed?: number;
  /** The instant "today" is taken from: an open campaign has responses up to today only. */
  now?: number;
  /** Responses over the whole campaign; an open campaign has the share that has arrived by today. */
  responses?: number;
}

/** Responses a whole demo campaign collects. */
const DEMO_CAMPAIGN_RESPONSES = 1500;

/**
 * Each system's underlying usability, as a SUS score, by campaign in order of opening (the last entry
 * holds for later campaigns). UMUX-Lite systems are generated so their SUS-equivalent lands here.
 */
const DEMO_SYSTEM_LEVELS: Readonly<Record<string, readonly number[]>> = {
  epr: [62, 68],
  'mh-record': [57, 59],
  'gp-system': [72, 73],
  'shared-care-record': [47, 50],
  email: [78, 78],
  'social-care-record': [55, 55],
};
const DEFAULT_LEVEL = 65;
/** How far one respondent's view of a system strays from the mean: SUS's individual SD is ≈ 18. */
const PERSON_SD = 16;

/** Share of respondents by employer; an organisation not listed counts one for each site it hosts. */
const ORGANISATION_WEIGHTS: Readonly<Record<string, number>> = {
  riverside: 44,
  leaside: 24,
  'millwater-council': 10,
  'ne-thames-icb': 5,
  'eastmarsh-gp': 4,
  'bow-yard-practice': 3.5,
  'canal-street-practice': 2.5,
};

/** A site's share of its organisation's respondents; the care home hardly ever gets the survey done. */
const SITE_WEIGHTS: Readonly<Record<string, number>> = {
  'royal-riverside': 60,
  'st-annes': 30,
  'wharf-road': 10,
  'marsh-lane': 40,
  'leaside-house': 35,
  'poplar-walk': 25,
  'millwater-town-hall': 95,
  'greenway-care-home': 5,
};
const KIND_WEIGHTS: Readonly<Record<string, number>> = {
  hospital: 30,
  community: 20,
  clinic: 10,
  surgery: 10,
  office: 10,
  'care-home': 2,
};
/** Most staff answer for the site they are based at, which their employer hosts. */
const HOST_SITE_SHARE = 0.92;

type Weights = Readonly<Record<string, number>>;

/** Staff groups by the kind of employer. "Other" is rare: the listed groups cover nearly everyone. */
const STAFF_GROUPS: Readonly<Record<string, Weights>> = {
  acute: { nursing: 45, medical: 19, ahp: 14, admin: 21, 'social-care': 0.5, other: 0.5 },
  community: { nursing: 45, medical: 8, ahp: 22, admin: 15, 'social-care': 9, other: 0.5 },
  'mental-health': { nursing: 45, medical: 10, ahp: 18, admin: 15, 'social-care': 11, other: 0.5 },
  'community-mental-health': { nursing: 45, medical: 9, ahp: 20, admin: 15, 'social-care': 10, other: 0.5 },
  primary: { medical: 30, nursing: 25, admin: 40, ahp: 4, other: 0.5 },
  'social-care': { 'social-care': 70, admin: 22, nursing: 7, other: 0.6 },
  commissioner: { admin: 85, nursing: 6, medical: 5, ahp: 3, other: 0.6 },
  default: { nursing: 35, medical: 15, ahp: 15, admin: 25, 'social-care': 10, other: 0.5 },
};

/** How likely staff of each kind of employer are to rate each system (those the campaign asks about). */
const RATES: Readonly<Record<string, Weights>> = {
  acute: { epr: 1, email: 0.75, 'shared-care-record': 0.3, 'mh-record': 0.05 },
  'community-mental-health': { 'mh-record': 0.95, email: 0.75, 'shared-care-record': 0.35, epr: 0.2 },
  community: { 'mh-record': 0.95, email: 0.75, 'shared-care-record': 0.35, epr: 0.2 },
  'mental-health': { 'mh-record': 0.95, email: 0.75, 'shared-care-record': 0.35, epr: 0.2 },
  primary: { 'gp-system': 0.95, email: 0.6, 'shared-care-record': 0.45 },
  'social-care': { 'social-care-record': 0.9, 'shared-care-record': 0.6, email: 0.85 },
  commissioner: { email: 0.95, 'shared-care-record': 0.4 },
};
const DEFAULT_RATE = 0.4;

/** Usability points a site's local problems cost every system there (see network.ts). */
const SITE_USABILITY: Weights = { 'marsh-lane': -5, 'greenway-care-home': -4, 'canal-street-surgery': -3 };
/** Doctors find the EPR harder going than clerical staff do; social workers fight the shared record. */
const GROUP_USABILITY: Readonly<Record<string, Weights>> = {
  epr: { medical: -4, admin: 3 },
  'shared-care-record': { 'social-care': -4, medical: 2 },
  'gp-system': { admin: 2 },
};

/** The demo sites' local infrastructure: shifts on the 1–7 ease scales and the 1–5 agreement items. */
interface SiteInfra {
  login: number;
  wifi: number;
  printing: number;
  /** Minutes, roughly, from sitting down to the record. */
  slowness: number;
  devices: number;
  available: number;
  responsive: number;
  timeLost: number;
}
const NO_PROBLEM: SiteInfra = {
  login: 0,
  wifi: 0,
  printing: 0,
  slowness: 0,
  devices: 0,
  available: 0,
  responsive: 0,
  timeLost: 0,
};
const SITE_INFRA: Readonly<Record<string, Partial<SiteInfra>>> = {
  // Congested for 3 minutes in 15: everything drags, from sign-in to the record.
  'marsh-lane': { login: -1.2, slowness: 1.4, responsive: -1.1, timeLost: 1, wifi: -0.4 },
  // Lossy line: Wi-Fi barely works, systems drop out, few devices.
  'greenway-care-home': { wifi: -2.2, available: -0.9, devices: -1.2, timeLost: 1, printing: -0.8 },
  // Single line with no fallback: when it drops, nothing is available.
  'canal-street-surgery': { available: -1, timeLost: 0.8 },
  'royal-riverside': { devices: -0.4, printing: -0.3 },
  'thames-house': { wifi: 0.6, login: 0.5, devices: 0.6 },
};
/** Systems' own behaviour: the shared care record slows four-fold for 3 minutes of every 15. */
const SYSTEM_INFRA: Readonly<Record<string, { available: number; responsive: number }>> = {
  'shared-care-record': { available: -0.3, responsive: -1.2 },
  email: { available: 0.4, responsive: 0.4 },
  'social-care-record': { available: -0.8, responsive: 0 },
};

const COMMENT_SHARE = 0.15;
const COMMENTS = [
  'Single sign-on for everything, so I am not logging in five or six times a shift.',
  'More working computers on the ward. At handover we queue for the two that work.',
  'Make the shared care record quicker to open. It often hangs just when I need it.',
  'Printers that work. Ours jams daily and replacement toner takes a week to come.',
  'Better Wi-Fi in the clinic rooms, it drops when you walk between rooms.',
  'Proper training on the EPR. I only use a fraction of it and find workarounds for the rest.',
  'Fewer clicks to record a set of observations.',
  'Laptops that start in under five minutes.',
  'Being able to see GP records from the hospital without phoning the practice.',
  'Please email me at j.smith@nhs.net, I have a list of printer problems I can share.',
  'Happy to help test changes, contact sam.taylor@riverside.example.org.',
  'The service desk is helpful but the call-back takes days - ring me on 020 7946 0018.',
  'Text me on 07700 900461 and I will explain what goes wrong with smartcards every morning.',
] as const;
const SITE_COMMENTS: Readonly<Record<string, readonly string[]>> = {
  'marsh-lane': [
    'The network at Marsh Lane grinds to a halt several times an hour and everything freezes.',
    'Fix the Marsh Lane connection. Notes take ages to save in the afternoons.',
  ],
  'greenway-care-home': ["Wi-Fi that reaches the residents' rooms."],
  'canal-street-surgery': ['A backup line. When ours drops we lose the clinical system mid-consultation.'],
};

/** Demo responses for one campaign, each checked by `checkResponse` and marked `demo: true`. */
export function demoResponses(
  estate: Estate,
  survey: Survey,
  options: DemoSurveyOptions = {},
): StoredResponse[] {
  const today = londonDateOf(options.now ?? Date.now());
  const days = campaignDays(survey);
  const opened = days[0];
  if (opened === undefined || opened > today) return [];
  const total = options.responses ?? DEMO_CAMPAIGN_RESPONSES;
  const weights = days.map((day, i) => arrivalWeight(i, days.length, day));
  const all = weights.reduce((a, b) => a + b, 0);

  // The campaign's id in the seed gives each campaign its own sequence from the same seed.
  const random = generator((options.seed ?? 1) ^ fnv1a(survey.id));
  const ordinal = campaignOrdinal(estate, survey);
  const pickers = respondentPickers(estate);
  const responses: StoredResponse[] = [];
  let cumulative = 0;
  let placed = 0;
  for (const [i, day] of days.entries()) {
    if (day > today) break;
    cumulative += weights[i] ?? 0;
    const upTo = Math.round((cumulative / all) * total);
    for (; placed < upTo; placed++) {
      const input = respondent(survey, ordinal, pickers, random);
      const checked = checkResponse(input, survey, estate, day);
      if (!checked.ok) {
        const problems = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
        throw new Error(`A generated demo response for ${survey.id} failed its checks: ${problems}`);
      }
      responses.push({ ...checked.response, demo: true });
    }
  }
  return responses;
}

/**
 * Adds demo responses to each campaign that has none yet, so restarting the demo never doubles them
 * and never mixes them into a campaign that already holds answers. Campaigns not yet open get none.
 */
export async function seedDemoSurveys(
  store: SurveyStore,
  estate: Estate,
  now: number,
): Promise<{ campaign: string; added: number }[]> {
  const report: { campaign: string; added: number }[] = [];
  for (const survey of estate.surveys) {
    if ((await store.responseCount(survey.id)) > 0) {
      report.push({ campaign: survey.id, added: 0 });
      continue;
    }
    const responses = demoResponses(estate, survey, { now });
    if (responses.length > 0) await store.addResponses(responses);
    report.push({ campaign: survey.id, added: responses.length });
  }
  return report;
}

/** The campaign's days, YYYY-MM-DD, opens to closes inclusive. */
function campaignDays(survey: Pick<Survey, 'opens' | 'closes'>): string[] {
  const dayKey = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
  const days: string[] = [];
  for (let day = dayKey(survey.opens); day <= dayKey(survey.closes); day++) days.push(londonDayText(day));
  return days;
}

/**
 * How many responses arrive on a day, relatively: a launch rush, reminders after three and seven
 * weeks, a last push before closing, and far fewer at weekends.
 */
function arrivalWeight(index: number, length: number, day: string): number {
  let weight = 1 + 3.5 * Math.exp(-index / 4);
  if (index >= 21) weight += 3 * Math.exp(-(index - 21) / 3);
  if (index >= 49) weight += 2.5 * Math.exp(-(index - 49) / 3);
  if (index >= length - 7) weight += 2;
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6 ? weight * 0.3 : weight;
}

/** 0 for the estate's first campaign by opening date, 1 for the next, and so on. */
function campaignOrdinal(estate: Estate, survey: Survey): number {
  const ordered = [...estate.surveys].sort((a, b) => a.opens.localeCompare(b.opens));
  return Math.max(
    0,
    ordered.findIndex((s) => s.id === survey.id),
  );
}

interface Pickers {
  organisation: (random: () => number) => string;
  site: (organisation: string, random: () => number) => string;
  employer: (organisation: string) => Employer;
}

/** What a respondent's employer decides: the systems they use (by kind) and their staff group. */
interface Employer {
  kind: string;
  staffGroup: (random: () => number) => string;
}

function employerOf(kind: string): Employer {
  const groups = chooser(Object.entries(STAFF_GROUPS[kind] ?? STAFF_GROUPS.default ?? {}));
  return { kind, staffGroup: (random) => groups?.(random) ?? 'other' };
}

function respondentPickers(estate: Estate): Pickers {
  const siteWeight = (site: Estate['sites'][number]) =>
    SITE_WEIGHTS[site.id] ?? KIND_WEIGHTS[site.kind ?? ''] ?? 10;
  const organisations = estate.organisations.map(
    (o) => [o.id, ORGANISATION_WEIGHTS[o.id] ?? estate.sites.filter((s) => s.host === o.id).length] as const,
  );
  const hosted = new Map<string, (random: () => number) => string>();
  const visited = new Map<string, (random: () => number) => string>();
  for (const { id } of estate.organisations) {
    const own = estate.sites.filter((s) => s.host === id).map((s) => [s.id, siteWeight(s)] as const);
    // Staff working at a partner's site: mostly the big hospitals and hubs, seldom a care home.
    const other = estate.sites.filter((s) => s.host !== id).map((s) => [s.id, siteWeight(s) ** 1.5] as const);
    const ownPick = chooser(own);
    const otherPick = chooser(other);
    if (ownPick) hosted.set(id, ownPick);
    if (otherPick) visited.set(id, otherPick);
  }
  const anySite = chooser(estate.sites.map((s) => [s.id, siteWeight(s)] as const)) ?? (() => '');
  const employers = new Map(estate.organisations.map((o) => [o.id, employerOf(employerKind(o.kind))]));
  const unknownEmployer = employerOf(employerKind(undefined));
  return {
    organisation: chooser(organisations) ?? (() => ''),
    site: (organisation, random) => {
      const own = hosted.get(organisation);
      const other = visited.get(organisation);
      const pick = random() < HOST_SITE_SHARE ? (own ?? other) : (other ?? own);
      return (pick ?? anySite)(random);
    },
    employer: (organisation) => employers.get(organisation) ?? unknownEmployer,
  };
}

/** One made-up respondent's form, as it would be submitted. */
function respondent(survey: Survey, ordinal: number, pickers: Pickers, random: () => number): ResponseInput {
  const organisation = pickers.organisation(random);
  const site = pickers.site(organisation, random);
  const { kind, staffGroup: pickStaffGroup } = pickers.employer(organisation);
  const staffGroup = pickStaffGroup(random);
  const infra: SiteInfra = { ...NO_PROBLEM, ...SITE_INFRA[site] };
  const normal = () => standardNormal(random);

  const asked = Object.entries(survey.systems) as [string, InstrumentId][];
  const rates = RATES[kind] ?? {};
  let rated = asked.filter(([system]) => random() < (rates[system] ?? DEFAULT_RATE));
  if (rated.length === 0 && asked.length > 0) {
    const likeliest = [...asked].sort(
      (a, b) => (rates[b[0]] ?? DEFAULT_RATE) - (rates[a[0]] ?? DEFAULT_RATE),
    );
    rated = likeliest.slice(0, 1);
  }

  const answers: Record<string, Record<string, number | string>> = {};
  for (const [system, instrument] of rated) {
    const levels = DEMO_SYSTEM_LEVELS[system] ?? [DEFAULT_LEVEL];
    const level = levels[Math.min(ordinal, levels.length - 1)] ?? DEFAULT_LEVEL;
    const mean = level + (SITE_USABILITY[site] ?? 0) + (GROUP_USABILITY[system]?.[staffGroup] ?? 0);
    const person = clamp(mean + PERSON_SD * normal(), 0, 100);
    const items = instrumentAnswers(instrument, person, normal);
    // Opinions hang together: the same person's usability view colours the agreement items.
    const mood = (person - 65) / 25;
    const own = SYSTEM_INFRA[system] ?? { available: 0, responsive: 0 };
    if (random() < 0.88) {
      items['infra.available'] = agree5(3.7 + mood + own.available + infra.available + 0.8 * normal());
    }
    if (random() < 0.85) {
      items['infra.responsive'] = agree5(3.4 + mood + own.responsive + infra.responsive + 0.8 * normal());
    }
    answers[system] = items;
  }

  // Single sign-on spread across the estate between the first and second campaigns.
  const sso = Math.min(ordinal, 1);
  const onSite: Record<string, number | string> = {};
  const answered = (share: number) => random() < share;
  if (answered(0.93)) onSite['infra.loginEase'] = ease7(4.5 + 0.5 * sso + infra.login + 1.2 * normal());
  if (answered(0.9)) onSite['infra.wifiEase'] = ease7(4.4 + infra.wifi + 1.3 * normal());
  if (answered(0.85)) onSite['infra.printingEase'] = ease7(4.0 + infra.printing + 1.4 * normal());
  if (answered(0.9)) {
    onSite['infra.timeToRecord'] =
      random() < 0.06
        ? 'dont-know'
        : pickBand(
            ['under-10s', '10-30s', '30-60s', '1-2min', '2-5min', 'over-5min'],
            1.9 - 0.3 * sso + infra.slowness + 1.1 * normal(),
          );
  }
  if (answered(0.9)) {
    onSite['infra.loginsPerShift'] = pickBand(
      ['0-1', '2-3', '4-6', '7-plus'],
      1.7 - 0.5 * sso + 0.9 * normal(),
    );
  }
  if (answered(0.9)) {
    onSite['infra.workingDevice'] =
      random() < 0.03
        ? 'not-applicable'
        : pickBand(
            ['always', 'usually', 'sometimes', 'rarely', 'never'],
            1.2 - infra.devices + 0.9 * normal(),
          );
  }
  if (answered(0.88)) {
    onSite['infra.partnerSiteLogin'] =
      random() < 0.45
        ? 'no-other-sites'
        : pickBand(['always', 'usually', 'sometimes', 'rarely', 'never'], 2.1 - 0.4 * sso + 1 * normal());
  }
  if (answered(0.9)) {
    onSite['infra.timeLost'] = pickBand(
      ['none', 'under-5min', '5-15min', '15-30min', '30-60min', 'over-60min'],
      1.6 + infra.timeLost + 1 * normal(),
    );
  }
  if (answered(0.85)) onSite['infra.fixedPromptly'] = agree5(3.2 + 0.9 * normal());
  if (Object.keys(onSite).length > 0) answers.infra = onSite;

  let comments: string | undefined;
  if (random() < COMMENT_SHARE) {
    const local = SITE_COMMENTS[site] ?? [];
    const pool = local.length > 0 && random() < 0.5 ? local : COMMENTS;
    comments = pool[Math.floor(random() * pool.length)];
  }
  return { organisation, site, staffGroup, answers, comments };
}

/**
 * Item answers whose score lands near `person`: for SUS each item carries a quarter of the score's
 * 0–4 points (odd items as given, even items reversed); for UMUX-Lite the SUS-equivalent is inverted
 * and each item carries half of the 0–12 points.
 */
function instrumentAnswers(
  instrument: InstrumentId,
  person: number,
  normal: () => number,
): Record<string, number> {
  const items = instrumentItems(instrument);
  const [min, max] = instruments[instrument].scale;
  const answers: Record<string, number> = {};
  if (instrument === 'sus') {
    for (const [i, item] of items.entries()) {
      const points = clamp(Math.round(person / 25 + 0.7 * normal()), 0, 4);
      answers[item.id] = i % 2 === 0 ? points + 1 : 5 - points;
    }
  } else {
    const umux = clamp((person - 22.9) / 0.65, 0, 100);
    for (const item of items) {
      answers[item.id] = clamp(Math.round(min + (umux / 100) * (max - min) + 0.6 * normal()), min, max);
    }
  }
  return answers;
}

function employerKind(kind: string | undefined): string {
  if (kind === 'gp-practice' || kind === 'gp-federation' || kind === 'primary-care-network') return 'primary';
  if (kind === 'local-authority') return 'social-care';
  return kind ?? 'default';
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const ease7 = (value: number) => clamp(Math.round(value), 1, 7);
const agree5 = (value: number) => clamp(Math.round(value), 1, 5);

/** The band a latent position falls in: 0 is the first band, each whole step the next. */
function pickBand(bands: readonly string[], position: number): string {
  const index = clamp(Math.floor(position), 0, bands.length - 1);
  return bands[index] ?? bands[0] ?? '';
}

/** A weighted choice among [value, weight] pairs; undefined when there is nothing to choose. */
function chooser(
  entries: readonly (readonly [string, number])[],
): ((random: () => number) => string) | undefined {
  const kept = entries.filter(([, weight]) => weight > 0);
  const total = kept.reduce((sum, [, weight]) => sum + weight, 0);
  if (kept.length === 0 || total <= 0) return undefined;
  return (random: () => number) => {
    let left = random() * total;
    for (const [value, weight] of kept) {
      left -= weight;
      if (left < 0) return value;
    }
    return kept[kept.length - 1]?.[0] ?? '';
  };
}
