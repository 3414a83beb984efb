import { describe, expect, it } from 'vitest';
import { campaignState, closedToResponses, longDate, resultsPublished } from '../../surveys/campaign.js';

const survey = { title: 'IT usability survey 2026', opens: '2026-10-01', closes: '2026-12-31' };

describe('campaign dates', () => {
  it('opens at the start of its first London day and closes at the end of its last', () => {
    // 1 October 2026 starts at 23:00 UTC on 30 September (British Summer Time).
    expect(campaignState(survey, Date.UTC(2026, 8, 30, 22, 59)).state).toBe('upcoming');
    expect(campaignState(survey, Date.UTC(2026, 8, 30, 23, 0))).toEqual({
      state: 'open',
      message: 'IT usability survey 2026 is open until the end of 31 December 2026.',
    });
    // 31 December is in winter time: it ends at midnight UTC.
    expect(campaignState(survey, Date.UTC(2026, 11, 31, 23, 59)).state).toBe('open');
    expect(campaignState(survey, Date.UTC(2027, 0, 1, 0, 0))).toEqual({
      state: 'closed',
      message: 'IT usability survey 2026 closed on 31 December 2026.',
    });
    expect(campaignState(survey, Date.UTC(2026, 0, 1)).message).toBe(
      'IT usability survey 2026 opens on 1 October 2026.',
    );
  });

  it('publishes results at once when live, else only once closed', () => {
    const during = Date.UTC(2026, 10, 24);
    expect(resultsPublished({ ...survey, publish: 'live' }, during)).toBe(true);
    expect(resultsPublished({ ...survey, publish: 'on-close' }, during)).toBe(false);
    expect(resultsPublished(survey, during)).toBe(false);
    expect(resultsPublished(survey, Date.UTC(2027, 0, 2))).toBe(true);
  });

  it('takes responses until it closes, live or on close, and none once its results are final', () => {
    const during = Date.UTC(2026, 10, 24);
    const after = Date.UTC(2027, 0, 1, 0, 0);
    for (const publish of ['live', 'on-close'] as const) {
      expect(closedToResponses({ ...survey, publish }, during)).toBeUndefined();
      expect(closedToResponses({ ...survey, publish }, after)).toBe(
        'IT usability survey 2026 closed on 31 December 2026 and its results are published; published figures do not change, so it takes no more responses',
      );
    }
    expect(closedToResponses(survey, Date.UTC(2026, 0, 1))).toBeUndefined();
  });

  it('writes dates as the NHS style guide does', () => {
    expect(longDate('2026-03-09')).toBe('9 March 2026');
  });
});
