import { londonDateOf } from '../common/calendar.js';
import type { Survey } from '../server/config/schema.js';

export type CampaignState =
  | { state: 'upcoming'; message: string }
  | { state: 'open'; message: string }
  | { state: 'closed'; message: string };

/**
 * Whether a campaign takes responses now. `opens` and `closes` are Europe/London dates and both are
 * whole days of the campaign: it opens at the start of `opens` and closes at the end of `closes`.
 */
export function campaignState(
  survey: Pick<Survey, 'title' | 'opens' | 'closes'>,
  now: number,
): CampaignState {
  const today = londonDateOf(now);
  if (today < survey.opens) {
    return { state: 'upcoming', message: `${survey.title} opens on ${longDate(survey.opens)}.` };
  }
  if (today > survey.closes) {
    return { state: 'closed', message: `${survey.title} closed on ${longDate(survey.closes)}.` };
  }
  return { state: 'open', message: `${survey.title} is open until the end of ${longDate(survey.closes)}.` };
}

/** Whether results may be shown: `live` campaigns at once, `on-close` ones (the default) once closed. */
export function resultsPublished(
  survey: Pick<Survey, 'publish' | 'title' | 'opens' | 'closes'>,
  now: number,
): boolean {
  return (survey.publish ?? 'on-close') === 'live' || campaignState(survey, now).state === 'closed';
}

/**
 * Why nothing more may be added to a campaign now, or undefined while it may. Published figures
 * never change, so once a campaign has closed nothing is added to it: an `on-close` campaign's
 * results are published then, and a `live` one's, published all along, are final then. While a
 * `live` campaign is open its figures change with each response, as its publishing promises.
 */
export function closedToResponses(
  survey: Pick<Survey, 'publish' | 'title' | 'opens' | 'closes'>,
  now: number,
): string | undefined {
  if (campaignState(survey, now).state !== 'closed') return undefined;
  return `${survey.title} closed on ${longDate(survey.closes)} and its results are published; published figures do not change, so it takes no more responses`;
}

/** Why results cannot be read yet: a campaign published on close, not yet closed. */
export function notPublishedYet(survey: Pick<Survey, 'title' | 'closes'>): string {
  return `results of ${survey.title} are published when it closes, at the end of ${longDate(survey.closes)}`;
}

/** 2026-12-31 as "31 December 2026", as the NHS style guide writes dates. */
export function longDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
