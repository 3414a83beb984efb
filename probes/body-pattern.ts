import { RE2JS } from 're2js';
import type { Attempt } from './attempt.js';
import { ProbeFailure, Stopped } from './failure.js';
import type { PatternMatcher } from './pattern-matcher.js';

/** Longest `expect.bodyMatches` accepted: RE2's matching time grows with the pattern as with the body. */
export const MAX_PATTERN_LENGTH = 1_000;

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
 * Whether the pattern is found in the text, matched on the matcher's thread and waited for through
 * the attempt: the check's timeout ends the wait, and the end of the run cancels the match.
 */
export function bodyMatches(
  source: string,
  text: string,
  attempt: Attempt,
  matcher: PatternMatcher,
): Promise<boolean> {
  const matching = matcher.match(source, text);
  attempt.own({ destroy: matching.cancel });
  return attempt.wait(`matching the body against /${source}/`, matching.matched).catch((error: unknown) => {
    // The answer was in: a match still running at the timeout is the pattern's cost, not a slow system.
    if (error instanceof Stopped && attempt.timedOut()) {
      throw new ProbeFailure(
        'assertion',
        `matching the body against /${source}/ did not finish within the check's timeout: simplify the pattern or lower maxBodyBytes`,
      );
    }
    throw error;
  });
}
