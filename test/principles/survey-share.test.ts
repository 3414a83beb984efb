import { describe, expect, it } from 'vitest';
import { shareOf } from '../../server/principles/survey-figures.js';

describe('a survey share from a distribution as the results API shows it', () => {
  it('is of everyone who answered, opt-outs included', () => {
    const counts = { always: 64, usually: 71, sometimes: 33, rarely: 6, never: 0, 'not-applicable': 4 };
    // 135 of 178.
    expect(shareOf(['always', 'usually'], { n: 178, counts })).toBe(75.8);
  });

  it('works out withheld counts only when they all lie on one side', () => {
    // rarely and not-applicable withheld, neither counted: 135 of 178.
    const outside = {
      always: 64,
      usually: 71,
      sometimes: 33,
      rarely: null,
      never: 0,
      'not-applicable': null,
    };
    expect(shareOf(['always', 'usually'], { n: 178, counts: outside })).toBe(75.8);
    // always and usually withheld, both counted: 20 less the 0 shown elsewhere.
    const inside = { always: null, usually: null, sometimes: 0, rarely: 0, never: 0, 'not-applicable': 0 };
    expect(shareOf(['always', 'usually'], { n: 20, counts: inside })).toBe(100);
    // usually (counted) and rarely (not) withheld: the share would tell each.
    const across = {
      always: 21,
      usually: null,
      sometimes: 13,
      rarely: null,
      never: 0,
      'not-applicable': null,
    };
    expect(shareOf(['always', 'usually'], { n: 49, counts: across })).toBe('withheld');
  });

  it('counts scale answers by their number, and has no share without answers', () => {
    expect(shareOf([4, 5], { n: 10, counts: { '1': 0, '2': 2, '3': 0, '4': 5, '5': 3 } })).toBe(80);
    expect(shareOf([4, 5], { n: 0, counts: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } })).toBeUndefined();
  });
});
