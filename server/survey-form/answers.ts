import {
  type ChoiceItem,
  instrumentItems,
  perSystemItems,
  type ScaleItem,
  siteItems,
  staffGroups,
} from '../../surveys/instruments.js';
import type { ResponseInput } from '../../surveys/response.js';
import type { Estate, Survey } from '../config/schema.js';

/**
 * The answers so far, by form field name. They travel with the pages as hidden fields, so the server
 * keeps nothing between pages and nothing links one page's request to the next but the answers.
 *
 * Field names: `organisation`, `site`, `staffGroup`, `use.<system>` (yes/no), `<system>.<item>` for a
 * system's instrument and per-system items, `infra.<item>` (the item's own id) for site items, `comment`.
 */
export type Answers = Map<string, string>;

export type FormEstate = Pick<Estate, 'organisations' | 'sites' | 'systems'>;

/** The system ids the campaign rates, in the estate file's order. */
export function ratedSystems(survey: Survey): string[] {
  return Object.keys(survey.systems);
}

export function systemName(estate: FormEstate, id: string): string {
  return estate.systems.find((s) => s.id === id)?.name ?? id;
}

/** The items a system's page asks: its instrument, whole, then the optional per-system items. */
export function systemItems(
  survey: Survey,
  system: string,
): { required: readonly ScaleItem[]; optional: readonly ScaleItem[] } {
  const instrument = survey.systems[system];
  return { required: instrument ? instrumentItems(instrument) : [], optional: perSystemItems };
}

/** Every field the form knows, with the values it accepts (null: free text). */
function knownFields(survey: Survey, estate: FormEstate): Map<string, readonly string[] | null> {
  const fields = new Map<string, readonly string[] | null>([
    ['organisation', estate.organisations.map((o) => o.id)],
    ['site', estate.sites.map((s) => s.id)],
    ['staffGroup', staffGroups.map((g) => g.id)],
    ['comment', null],
  ]);
  const values = (item: ScaleItem | ChoiceItem) => item.options.map((o) => String(o.value));
  for (const system of ratedSystems(survey)) {
    fields.set(`use.${system}`, ['yes', 'no']);
    const { required, optional } = systemItems(survey, system);
    for (const item of [...required, ...optional]) fields.set(`${system}.${item.id}`, values(item));
  }
  for (const item of siteItems) fields.set(item.id, values(item));
  return fields;
}

/**
 * Reads the answers from a posted form: known fields only, and only values the field offers (a
 * tampered or stale value is as good as no answer; the page then asks for it again).
 */
export function readAnswers(body: unknown, survey: Survey, estate: FormEstate): Answers {
  const answers: Answers = new Map();
  if (typeof body !== 'object' || body === null) return answers;
  const given = body as Record<string, unknown>;
  for (const [name, allowed] of knownFields(survey, estate)) {
    const value = given[name];
    if (typeof value !== 'string' || value === '') continue;
    if (allowed === null) {
      // Kept as typed, even if too long, so the page can say so and the text is not lost.
      if (value.trim() !== '') answers.set(name, value.replace(/\r\n/g, '\n'));
    } else if (allowed.includes(value)) {
      answers.set(name, value);
    }
  }
  // A system the respondent does not use has no ratings, whatever was answered before they said no.
  for (const system of ratedSystems(survey)) {
    if (answers.get(`use.${system}`) === 'yes') continue;
    for (const name of [...answers.keys()]) if (name.startsWith(`${system}.`)) answers.delete(name);
  }
  return answers;
}

/** The answers as the JSON API takes them, for the same `checkResponse`. */
export function toResponseInput(answers: Answers, survey: Survey): ResponseInput {
  const byGroup: Record<string, Record<string, number | string>> = {};
  const typed = (item: ScaleItem | ChoiceItem, value: string) =>
    item.kind === 'scale' ? Number(value) : value;
  for (const system of ratedSystems(survey)) {
    if (answers.get(`use.${system}`) !== 'yes') continue;
    const { required, optional } = systemItems(survey, system);
    const given: Record<string, number | string> = {};
    for (const item of [...required, ...optional]) {
      const value = answers.get(`${system}.${item.id}`);
      if (value !== undefined) given[item.id] = typed(item, value);
    }
    byGroup[system] = given;
  }
  const infra: Record<string, number | string> = {};
  for (const item of siteItems) {
    const value = answers.get(item.id);
    if (value !== undefined) infra[item.id] = typed(item, value);
  }
  if (Object.keys(infra).length > 0) byGroup.infra = infra;
  return {
    organisation: answers.get('organisation'),
    site: answers.get('site'),
    staffGroup: answers.get('staffGroup'),
    answers: byGroup,
    comments: answers.get('comment'),
  };
}
