import { describe, expect, it } from 'vitest';
import { streamLogger } from '../common/logger.js';

describe('the log', () => {
  it("stamps each line with the injected clock's time", () => {
    const lines: string[] = [];
    const logger = streamLogger((line) => lines.push(line), { now: () => Date.UTC(2026, 2, 29, 0, 59, 30) });
    logger.warn('estate file refused', { retiring: 3 });
    expect(lines).toEqual(['2026-03-29T00:59:30.000Z warn estate file refused retiring=3\n']);
  });
});
