/**
 * The survey's questions as data. Item ids and wording stay fixed across years so that year-on-year
 * comparisons match like with like and the standard instruments compare with published benchmarks.
 *
 * Placeholder rule: where a standard item names "this system", "the system" or "[System]", the text
 * holds `{system}` (mid-sentence) or `{System}` (starting a sentence) and `itemText` puts the system's
 * name there as written. The name is not re-cased: system names are proper nouns with their supplier's
 * casing ("eRecord", "EMIS Web"). Every other word is the published wording, unchanged.
 */

/** One answer a respondent can pick. An opt-out ("I don't know", "Not applicable") is never scored. */
export interface Option<V extends number | string = number | string> {
  readonly value: V;
  /** Null where the published form leaves the point unlabelled. */
  readonly label: string | null;
  readonly optOut?: true;
}

/** A numbered rating scale, 1 … max. */
export interface ScaleItem {
  readonly kind: 'scale';
  readonly id: string;
  readonly text: string;
  /** Asked once for each system rated in the campaign rather than once per respondent. */
  readonly perSystem: boolean;
  readonly options: readonly Option<number>[];
  /** For agreement items reported as a net score (% agree − % disagree). */
  readonly net?: { readonly agree: readonly number[]; readonly disagree: readonly number[] };
}

/** A list of named answers, in the order shown. */
export interface ChoiceItem {
  readonly kind: 'choice';
  readonly id: string;
  readonly text: string;
  readonly perSystem: boolean;
  readonly options: readonly Option<string>[];
}

export interface TextItem {
  readonly kind: 'text';
  readonly id: string;
  readonly text: string;
  readonly hint: string;
  readonly maxLength: number;
}

function scale(max: number, labels: Readonly<Record<number, string>>): Option<number>[] {
  return Array.from({ length: max }, (_, i) => ({ value: i + 1, label: labels[i + 1] ?? null }));
}

/**
 * SUS and UMUX-Lite label only their end points, as the published forms do: benchmarks were gathered
 * with that layout, and labelling the middle points changes how people answer.
 */
const AGREE_5 = scale(5, { 1: 'Strongly disagree', 5: 'Strongly agree' });
const AGREE_7 = scale(7, { 1: 'Strongly disagree', 7: 'Strongly agree' });
const EASE_7 = scale(7, { 1: 'Very difficult', 7: 'Very easy' });
/**
 * Our own agreement items have no benchmark to protect, so every point is labelled: the net score
 * counts 4–5 as agree and 1–2 as disagree, and respondents should see those words when they answer.
 */
const AGREE_5_LABELLED = scale(5, {
  1: 'Strongly disagree',
  2: 'Disagree',
  3: 'Neither agree nor disagree',
  4: 'Agree',
  5: 'Strongly agree',
});
const NET_5 = { agree: [4, 5], disagree: [1, 2] } as const;

function sus<const Id extends string>(id: Id, text: string) {
  return { kind: 'scale', id, text, perSystem: true, options: AGREE_5 } as const satisfies ScaleItem;
}

function umux<const Id extends string>(id: Id, text: string) {
  return { kind: 'scale', id, text, perSystem: true, options: AGREE_7 } as const satisfies ScaleItem;
}

/** System Usability Scale (Brooke 1986), word for word. */
const susItems = [
  sus('sus1', 'I think that I would like to use {system} frequently.'),
  sus('sus2', 'I found {system} unnecessarily complex.'),
  sus('sus3', 'I thought {system} was easy to use.'),
  sus('sus4', 'I think that I would need the support of a technical person to be able to use {system}.'),
  sus('sus5', 'I found the various functions in {system} were well integrated.'),
  sus('sus6', 'I thought there was too much inconsistency in {system}.'),
  sus('sus7', 'I would imagine that most people would learn to use {system} very quickly.'),
  sus('sus8', 'I found {system} very cumbersome to use.'),
  sus('sus9', 'I felt very confident using {system}.'),
  sus('sus10', 'I needed to learn a lot of things before I could get going with {system}.'),
] as const;

/** UMUX-Lite (Lewis, Utesch & Maher 2013), word for word. */
const umuxItems = [
  umux('umux1', "{System}'s capabilities meet my requirements."),
  umux('umux2', '{System} is easy to use.'),
] as const;

/** Survey instruments a campaign can use to rate a system, by the id the estate file uses. */
export const instruments = {
  sus: { name: 'System Usability Scale (SUS)', items: susItems, scale: [1, 5] },
  'umux-lite': { name: 'UMUX-Lite', items: umuxItems, scale: [1, 7] },
} as const;

export type InstrumentId = keyof typeof instruments;
export const instrumentIds = Object.keys(instruments) as InstrumentId[];

export type SusItemId = (typeof susItems)[number]['id'];
export type UmuxItemId = (typeof umuxItems)[number]['id'];

export function instrumentItems(id: InstrumentId): readonly ScaleItem[] {
  return instruments[id].items;
}

const FREQUENCY = ['Always', 'Usually', 'Sometimes', 'Rarely', 'Never'].map((label) => ({
  value: label.toLowerCase(),
  label,
}));

/**
 * Our infrastructure items, worded as SURVEY.md gives them (statements gain a closing full stop).
 * Ease, time and device items are about the respondent's site, so they are asked once. Availability
 * and responsiveness name `{System}`, so they are asked for each system in the campaign; "fixed
 * promptly" names no system and is about the IT service as a whole, so it is asked once.
 */
export const infrastructureItems = [
  {
    kind: 'scale',
    id: 'infra.loginEase',
    text: "How easy or difficult is logging in and getting to a patient's record at your site?",
    perSystem: false,
    options: EASE_7,
  },
  {
    kind: 'scale',
    id: 'infra.wifiEase',
    text: 'How easy or difficult is connecting to Wi-Fi at your site?',
    perSystem: false,
    options: EASE_7,
  },
  {
    kind: 'scale',
    id: 'infra.printingEase',
    text: 'How easy or difficult is printing at your site?',
    perSystem: false,
    options: EASE_7,
  },
  {
    kind: 'choice',
    id: 'infra.timeToRecord',
    text: 'How long does it take from sitting down to the patient record?',
    perSystem: false,
    options: [
      { value: 'under-10s', label: '<10 s' },
      { value: '10-30s', label: '10–30 s' },
      { value: '30-60s', label: '30–60 s' },
      { value: '1-2min', label: '1–2 min' },
      { value: '2-5min', label: '2–5 min' },
      { value: 'over-5min', label: '>5 min' },
      { value: 'dont-know', label: "I don't know", optOut: true },
    ],
  },
  {
    kind: 'choice',
    id: 'infra.loginsPerShift',
    text: 'How many separate log-ins do you need in a typical shift?',
    perSystem: false,
    options: [
      { value: '0-1', label: '0–1' },
      { value: '2-3', label: '2–3' },
      { value: '4-6', label: '4–6' },
      { value: '7-plus', label: '7+' },
    ],
  },
  {
    kind: 'choice',
    id: 'infra.workingDevice',
    text: 'I can find a working computer or device when I need one.',
    perSystem: false,
    options: [...FREQUENCY, { value: 'not-applicable', label: 'Not applicable', optOut: true }],
  },
  {
    // "Same scale + I don't work at other sites": that answer is this item's "Not applicable", so
    // offering both would split one meaning across two options.
    kind: 'choice',
    id: 'infra.partnerSiteLogin',
    text: "When I work at another organisation's site I can get online with my own login.",
    perSystem: false,
    options: [...FREQUENCY, { value: 'no-other-sites', label: "I don't work at other sites", optOut: true }],
  },
  {
    kind: 'choice',
    id: 'infra.timeLost',
    text: 'How much time do you lose to IT problems in a typical shift?',
    perSystem: false,
    options: [
      { value: 'none', label: 'None' },
      { value: 'under-5min', label: '<5 min' },
      { value: '5-15min', label: '5–15 min' },
      { value: '15-30min', label: '15–30 min' },
      { value: '30-60min', label: '30–60 min' },
      { value: 'over-60min', label: '>60 min' },
    ],
  },
  {
    kind: 'scale',
    id: 'infra.available',
    text: '{System} is available when I need it.',
    perSystem: true,
    options: AGREE_5_LABELLED,
    net: NET_5,
  },
  {
    kind: 'scale',
    id: 'infra.responsive',
    text: '{System} responds quickly enough for my work.',
    perSystem: true,
    options: AGREE_5_LABELLED,
    net: NET_5,
  },
  {
    kind: 'scale',
    id: 'infra.fixedPromptly',
    text: 'When I report an IT problem it is fixed promptly.',
    perSystem: false,
    options: AGREE_5_LABELLED,
    net: NET_5,
  },
] as const satisfies readonly (ScaleItem | ChoiceItem)[];

/** The infrastructure items asked once, about the respondent's site. */
export const siteItems = infrastructureItems.filter((item) => !item.perSystem) as readonly (
  | ScaleItem
  | ChoiceItem
)[];

/** The infrastructure items asked for each system rated, after its instrument. */
export const perSystemItems = infrastructureItems.filter((item) => item.perSystem) as readonly ScaleItem[];

export const comment = {
  kind: 'text',
  id: 'comment',
  text: 'What one IT change would most help you at work?',
  hint: 'Optional. Please do not include names or any patient details.',
  maxLength: 1000,
} as const satisfies TextItem;

export const staffGroups = [
  { id: 'medical', label: 'Medical and dental' },
  { id: 'nursing', label: 'Nursing and midwifery' },
  { id: 'ahp', label: 'Allied health professional' },
  { id: 'admin', label: 'Admin and clerical' },
  { id: 'social-care', label: 'Social care' },
  { id: 'other', label: 'Other' },
] as const;

type StaffGroupId = (typeof staffGroups)[number]['id'];
export const staffGroupIds = staffGroups.map((group) => group.id) as StaffGroupId[];

/** The item's wording for one system. */
export function itemText(item: { readonly text: string }, systemName: string): string {
  return item.text.replaceAll(/\{system\}/gi, () => systemName);
}

const answerable = new Map<string, ScaleItem | ChoiceItem>(
  [...instrumentIds.flatMap(instrumentItems), ...infrastructureItems].map((item) => [item.id, item]),
);

/**
 * The item an answer's key asks: `epr/sus1` (an item asked for each system) or `infra.timeLost` (one
 * asked once); undefined for an item no longer asked.
 */
export function itemOfKey(key: string): ScaleItem | ChoiceItem | undefined {
  return answerable.get(key.slice(key.indexOf('/') + 1));
}
