import { isDeepStrictEqual } from 'node:util';
import type { Attempt } from './attempt.js';
import { bodyMatches } from './body-pattern.js';
import type { Classified } from './classify.js';
import type { HttpExpect } from './http-fields.js';
import { readJsonPath } from './json-path.js';
import type { PatternMatcher } from './pattern-matcher.js';

export interface Answer {
  status: number;
  body: Buffer;
  capped: boolean;
}

const ANY_2XX = ['200-299'] as const;
const SHOWN_VALUE_CHARS = 100;

/** The first expectation the answer misses, or undefined when it meets them all. */
export async function checkAnswer(
  expect: HttpExpect | undefined,
  answer: Answer,
  attempt: Attempt,
  matcher: PatternMatcher,
): Promise<Classified | undefined> {
  const statuses = expect?.status ?? ANY_2XX;
  if (!statuses.some((status) => statusMatches(answer.status, status))) {
    return { class: 'http_status', message: `status ${answer.status}, expected ${listed(statuses)}` };
  }
  if (!expect) return undefined;
  const text = answer.body.toString('utf8');
  const where = answer.capped ? ` in its first ${answer.body.length} bytes` : '';
  if (expect.bodyContains !== undefined && !text.includes(expect.bodyContains)) {
    return { class: 'assertion', message: `the body does not contain '${expect.bodyContains}'${where}` };
  }
  if (expect.bodyMatches !== undefined && !(await bodyMatches(expect.bodyMatches, text, attempt, matcher))) {
    return { class: 'assertion', message: `the body does not match /${expect.bodyMatches}/${where}` };
  }
  if (expect.json) return checkJson(text, expect.json.path, expect.json.equals, answer.capped);
  return undefined;
}

function checkJson(text: string, path: string, equals: unknown, capped: boolean): Classified | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const cut = capped ? ', cut at the body size limit' : '';
    return { class: 'assertion', message: `the body is not JSON${cut} (${(error as Error).message})` };
  }
  const found = readJsonPath(value, path);
  if (!found.found) return { class: 'assertion', message: `${path} is not in the JSON body` };
  if (isDeepStrictEqual(found.value, equals)) return undefined;
  return { class: 'assertion', message: `${path} is ${shown(found.value)}, expected ${shown(equals)}` };
}

function statusMatches(status: number, expected: number | string): boolean {
  if (typeof expected === 'number') return status === expected;
  const [low, high] = expected.split('-').map(Number);
  return low !== undefined && high !== undefined && status >= low && status <= high;
}

/** "200", "200 or 204", "200, 204 or 300-399". */
function listed(statuses: readonly (number | string)[]): string {
  const texts = statuses.map(String);
  const last = texts.pop() ?? '';
  return texts.length === 0 ? last : `${texts.join(', ')} or ${last}`;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}…` : text;
}
