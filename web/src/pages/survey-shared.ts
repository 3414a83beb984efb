import { itemOfKey, itemText as wording } from '../../../surveys/instruments.js';
import { h } from '../dom.js';
import { count } from '../format.js';

/** What the survey results page's parts share: the API's shapes, number formats, withheld cells. */

type Interval = [number, number];
export type Withheld = { n: null; withheld: true; reason: string };
export type Score =
  | {
      instrument: string;
      n: number;
      mean: number;
      ci95: Interval;
      grade?: string;
      susEquivalent?: number;
      withheld?: false;
    }
  | (Withheld & { instrument: string });
export type Net = { n: number; net: number; ci95: Interval; withheld?: false } | Withheld;
/** How many gave each answer (`String(option.value)`); null where a small count is withheld. */
export type Distribution =
  | { n: number; counts: Record<string, number | null>; withheld: string[] }
  | Withheld;

interface Group {
  key: string;
  n: number | null;
  withheld: boolean;
  reason?: string;
  scores: Record<string, Score>;
  infra: Record<string, Net>;
}

export interface ResultsResponse {
  campaign: string;
  title: string;
  by: string;
  minGroupSize: number;
  overall: {
    n: number;
    demo: number;
    scores: Record<string, Score>;
    infra: Record<string, Net>;
    /** By item key: `epr/sus1` for an item asked per system, `infra.wifiEase` for one asked once. */
    distributions?: Record<string, Distribution>;
  };
  items: Group[];
}

export type Mean = { n: number; mean: number };
type Change = { before: Mean; after: Mean; difference: number; ci95: Interval; changed: boolean };
/** One item's mean each year; the fields are absent when the item could not be compared. */
export type ComparedItem = { item: string } & Partial<Change>;
interface Compared {
  system: string;
  instrument: string;
  withheld: boolean;
  reason?: string;
  score?: Change | null;
  items?: ComparedItem[];
}

export interface CompareResponse {
  before: string;
  after: string;
  minGroupSize: number;
  systems: Compared[];
}

const INSTRUMENTS: Record<string, string> = { sus: 'SUS', 'umux-lite': 'UMUX-Lite' };
export const instrumentName = (id: string) => INSTRUMENTS[id] ?? id;

export const one = (value: number) => value.toFixed(1);
export const signed = (value: number) => (value > 0 ? `+${one(value)}` : one(value));
export const interval = ([lo, hi]: Interval, sign = false) =>
  sign ? `${signed(lo)} to ${signed(hi)}` : `${one(lo)} to ${one(hi)}`;
export const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The words of an item key, with the system's name: `epr/infra.available` is "Riverside EPR is available…". */
export function itemText(key: string, systemName: (id: string) => string): string {
  const item = itemOfKey(key);
  const system = key.includes('/') ? key.slice(0, key.indexOf('/')) : undefined;
  return item ? wording(item, system ? systemName(system) : 'the system') : key;
}

export function withheld(reason: string | undefined): HTMLElement {
  return h('span', { class: 'vantage-withheld' }, h('strong', {}, 'Withheld'), reason ? `: ${reason}` : '');
}

/** Room for a chart row's label of several lines: more on a phone, where labels wrap more. */
export const rowHeight = () => (window.innerWidth < 480 ? 96 : 70);

/** A chart's height for rows of wrapped labels, each row tall enough for its lines. */
export function labelledHeight(labels: string[][], room = 80): number {
  return labels.reduce((sum, label) => sum + Math.max(rowHeight(), label.length * 16 + 24), room);
}

/** A label broken into lines of about `width` characters, so it fits beside a chart on a phone. */
export function lines(text: string, width = window.innerWidth < 480 ? 16 : 24): string[] {
  const out: string[] = [];
  for (const word of text.split(' ')) {
    const last = out.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

export function grade(score: Score): string {
  if (score.withheld) return '—';
  if (score.grade) return `Grade ${score.grade}`;
  if (score.susEquivalent !== undefined) return `SUS equivalent ${one(score.susEquivalent)}`;
  return '—';
}

/** The NHS warning that generated demo responses are in the figures. */
export function demoNotice(demo: number): HTMLElement {
  return h(
    'div',
    { class: 'nhsuk-warning-callout', 'data-testid': 'survey-demo' },
    h(
      'h2',
      { class: 'nhsuk-warning-callout__label' },
      h(
        'span',
        { role: 'text' },
        h('span', { class: 'nhsuk-u-visually-hidden' }, 'Important: '),
        'Demo data',
      ),
    ),
    h(
      'p',
      {},
      `These results include ${count(demo)} generated demo ${demo === 1 ? 'response' : 'responses'}.`,
    ),
  );
}

/** Bars across the page, one labelled row each, on a fixed scale: the options every survey chart shares. */
export function barOptions(min: number, max: number, title: string) {
  return {
    indexAxis: 'y' as const,
    layout: { padding: { left: 8 } },
    scales: {
      y: { ticks: { autoSkip: false } },
      x: { min, max, title: { display: true, text: title } },
    },
  };
}
