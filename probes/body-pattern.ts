import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { RE2JS } from 're2js';
import type { Attempt } from './attempt.js';
import { ProbeFailure } from './failure.js';

/** Longest `expect.bodyMatches` accepted: RE2's matching time grows with the pattern as with the body. */
export const MAX_PATTERN_LENGTH = 1_000;

/**
 * Bodies up to this many characters are matched on the event loop. RE2 matches in time linear in
 * the body, but its constant can reach about 0.4 µs a character for patterns that defeat its DFA,
 * so 64 Ki characters cost at most some 25 ms; longer bodies are matched off the loop.
 */
export const INLINE_MATCH_CHARS = 64 * 1024;

/**
 * The reason a pattern cannot be used, or undefined when it can. Patterns are RE2's syntax, matched
 * in linear time: JavaScript's own engine backtracks, and `(a+)+$` against forty a's and a '!' would
 * take it minutes, stalling every probe, ingestion and the dashboard with it.
 */
export function patternProblem(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) {
    return `a pattern is at most ${MAX_PATTERN_LENGTH} characters, this one is ${source.length}`;
  }
  try {
    RE2JS.compile(source);
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    return `'${source}' is not a pattern Vantage can match in linear time (${reason}); patterns use RE2 syntax, without backreferences or lookaround`;
  }
}

/**
 * Whether the pattern is found in the text. Short texts are matched here; longer ones in a worker
 * thread of their own, waited for through the attempt, so the check's timeout ends the match (the
 * worker is terminated when the run closes) and the event loop is never held for long.
 */
export function bodyMatches(source: string, text: string, attempt: Attempt): boolean | Promise<boolean> {
  if (text.length <= INLINE_MATCH_CHARS) return compile(source).test(text);
  const worker = new Worker(MATCH_IN_WORKER, {
    eval: true,
    workerData: { re2js: re2jsPath(), source, text },
  });
  attempt.own({ destroy: () => void worker.terminate() });
  const matched = new Promise<boolean>((resolve, reject) => {
    worker.once('message', (value: boolean) => resolve(value));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new ProbeFailure('invalid', `the body match ended (exit ${code})`)));
  });
  return attempt.wait(`matching the body against /${source}/`, matched);
}

function compile(source: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (error) {
    // The estate schema refuses such a pattern, so this is a check that bypassed it.
    throw new ProbeFailure('invalid', patternProblem(source) ?? (error as Error).message);
  }
}

/** Where the worker loads re2js from: it runs as a CommonJS script, outside this module's resolution. */
function re2jsPath(): string {
  return createRequire(import.meta.url).resolve('re2js');
}

const MATCH_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { RE2JS } = require(workerData.re2js);
parentPort.postMessage(RE2JS.compile(workerData.source).test(workerData.text));
`;
