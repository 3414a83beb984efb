import type { Estate, Survey } from '../server/config/schema.js';
import type { StoredResponse } from './counts.js';
import {
  type ChoiceItem,
  comment as commentItem,
  perSystemItems,
  type ScaleItem,
  siteItems,
  staffGroupIds,
} from './instruments.js';
import { redact } from './redact.js';
import {
  type SusAnswers,
  susScore,
  type UmuxLiteAnswers,
  umuxLiteScore,
  validateAnswers,
} from './scoring.js';

/** One response as a respondent (or an assisted entry or import) gives it. */
export interface ResponseInput {
  organisation?: unknown;
  site?: unknown;
  staffGroup?: unknown;
  answers?: unknown;
  comments?: unknown;
}

export interface ResponseProblem {
  /** Where, as a path into the response: `answers.epr.sus4`. */
  path: string;
  message: string;
}

const siteItemsById = new Map<string, ScaleItem | ChoiceItem>(siteItems.map((item) => [item.id, item]));
const systemItems = new Map<string, ScaleItem | ChoiceItem>(perSystemItems.map((item) => [item.id, item]));

/**
 * Checks a response against its campaign and the estate, and turns it into what is stored: each
 * rated system's instrument answered whole, infrastructure items optional (but a system rated or a
 * question about the site answered),
 * the comment redacted. Every problem is named, so a form or an import can show them all at once.
 */
export function checkResponse(
  input: ResponseInput,
  survey: Survey,
  estate: Pick<Estate, 'organisations' | 'sites' | 'systems'>,
  day: string,
): { ok: true; response: StoredResponse } | { ok: false; problems: ResponseProblem[] } {
  const problems: ResponseProblem[] = [];
  const known = (value: unknown, ids: string[], path: string, noun: string) => {
    if (typeof value !== 'string' || value === '') problems.push({ path, message: `choose your ${noun}` });
    else if (!ids.includes(value))
      problems.push({ path, message: `'${value}' is not a ${noun} in this survey` });
  };
  known(
    input.organisation,
    estate.organisations.map((o) => o.id),
    'organisation',
    'organisation',
  );
  known(
    input.site,
    estate.sites.map((s) => s.id),
    'site',
    'site',
  );
  known(input.staffGroup, staffGroupIds, 'staffGroup', 'staff group');

  const scores: StoredResponse['scores'] = [];
  const answers: StoredResponse['answers'] = {};
  const given = input.answers;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    problems.push({
      path: 'answers',
      message: 'answers is an object of systems (and infra) to item answers',
    });
  } else {
    for (const [key, value] of Object.entries(given)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push({
          path: `answers.${key}`,
          message: `answers.${key} is an object of item ids to answers`,
        });
        continue;
      }
      const items = value as Record<string, unknown>;
      if (key === 'infra') {
        const checked = optionalItems(items, siteItemsById, `answers.infra`, problems);
        if (Object.keys(checked).length > 0) answers.infra = checked;
        continue;
      }
      // Keys are the respondent's: only the campaign's own systems count, never what every object
      // inherits (`toString`, `__proto__`).
      const instrument = Object.hasOwn(survey.systems, key) ? survey.systems[key] : undefined;
      if (!instrument) {
        problems.push({ path: `answers.${key}`, message: `'${key}' is not a system this survey asks about` });
        continue;
      }
      const own = Object.fromEntries(Object.entries(items).filter(([id]) => !systemItems.has(id)));
      const extra = Object.fromEntries(Object.entries(items).filter(([id]) => systemItems.has(id)));
      const wrong = validateAnswers(instrument, own);
      for (const problem of wrong)
        problems.push({ path: `answers.${key}.${problem.item}`, message: problem.message });
      if (wrong.length > 0) continue;
      const score =
        instrument === 'sus'
          ? susScore(own as unknown as SusAnswers)
          : umuxLiteScore(own as unknown as UmuxLiteAnswers);
      scores.push({ system: key, instrument, score });
      const perSystem = optionalItems(extra, systemItems, `answers.${key}`, problems);
      answers[key] = { ...(own as Record<string, number>), ...perSystem };
    }
  }

  let comment: string | null = null;
  if (input.comments !== undefined && input.comments !== null && input.comments !== '') {
    if (typeof input.comments !== 'string') {
      problems.push({ path: 'comments', message: 'comments is text' });
    } else if (input.comments.length > commentItem.maxLength) {
      problems.push({
        path: 'comments',
        message: `comments must be ${commentItem.maxLength.toLocaleString('en-GB')} characters or fewer (this is ${input.comments.length.toLocaleString('en-GB')})`,
      });
    } else {
      comment = redact(input.comments.trim()).text || null;
    }
  }

  // Someone who uses none of the rated systems can still say how the IT at their site is; a response
  // with neither (a comment alone, say) is not one. A system answered wrongly is named already.
  const systemProblem = problems.some(
    (p) => p.path.startsWith('answers.') && !p.path.startsWith('answers.infra'),
  );
  if (scores.length === 0 && answers.infra === undefined && !systemProblem) {
    problems.push({
      path: 'answers',
      message:
        'answer at least one question: rate a system you use, or answer a question about the IT at your site',
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    response: {
      campaign: survey.id,
      day,
      organisation: input.organisation as string,
      site: input.site as string,
      staffGroup: input.staffGroup as string,
      answers,
      comment,
      scores,
    },
  };
}

/** Items that may be left out; each given one must be a known item with one of its options. */
function optionalItems(
  given: Record<string, unknown>,
  items: Map<string, ScaleItem | ChoiceItem>,
  path: string,
  problems: ResponseProblem[],
): Record<string, number | string> {
  const kept: Record<string, number | string> = {};
  for (const [id, value] of Object.entries(given)) {
    const item = items.get(id);
    if (!item) {
      problems.push({ path: `${path}.${id}`, message: `${id} is not a question here` });
      continue;
    }
    const option = (item.options as readonly { value: number | string }[]).find((o) => o.value === value);
    if (!option) {
      const values = item.options.map((o) => JSON.stringify(o.value)).join(', ');
      problems.push({
        path: `${path}.${id}`,
        message: `${id} must be one of ${values}, not ${JSON.stringify(value)}`,
      });
      continue;
    }
    kept[id] = option.value;
  }
  return kept;
}
