import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Estate } from '../../server/config/schema.js';
import { compliance } from '../../server/principles/compliance.js';
import { parsePeriod } from '../../server/principles/period.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { keptFigures } from '../../server/survey/results-cache.js';
import { checkResponse } from '../../surveys/response.js';
import { estateFrom } from '../helpers/estates.js';
import { susFor } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const NOW = Date.UTC(2026, 10, 24, 12);

const yaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
principles:
  - { id: usable, title: Usable systems, metric: survey-score, target: 68 }
surveys:
  - { id: live-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, publish: live, systems: { epr: sus } }
`;

function responses(estate: Estate, count: number, score: number) {
  const survey = estate.surveys[0];
  if (!survey) throw new Error('no survey');
  return Array.from({ length: count }, (_, k) => {
    const checked = checkResponse(
      {
        organisation: 'riverside',
        site: 'st-annes',
        staffGroup: 'nursing',
        answers: { epr: susFor(k % 2 === 0 ? score : score + 10) },
      },
      survey,
      estate,
      '2026-11-02',
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    return checked.response;
  });
}

describe('survey results kept between principles', () => {
  it('are read again once a live campaign takes more responses, and for another estate', async () => {
    const store = SqliteStores.open(join(tmp(), 'kept.db'));
    try {
      const estate = estateFrom(yaml);
      await store.estate.syncEstate(estate, NOW);
      const principle = estate.principles[0];
      if (!principle) throw new Error('no principle');
      const sources = {
        results: store.results,
        maintenance: store.maintenance,
        surveyFigures: keptFigures(store.survey),
      };
      const score = async (of: Estate) =>
        (await compliance(of, sources, principle, parsePeriod('30d', NOW))).value;
      // 12 at 50 and 60 alternately: 6 each, mean 55.
      await store.survey.addResponses(responses(estate, 12, 50));
      expect(await score(estate)).toBe(55);
      expect(await score(estate)).toBe(55);
      // 12 more at 90 and 100: mean (330 + 1140) / 24 = 75.
      await store.survey.addResponses(responses(estate, 12, 90));
      expect(await score(estate)).toBe(75);
      // A raised minimum group size in a new estate withholds the 24.
      const stricter = estateFrom(`${yaml}settings: { survey: { minGroupSize: 30 } }\n`);
      const withheld = await compliance(stricter, sources, principle, parsePeriod('30d', NOW));
      expect([withheld.status, withheld.items[0]?.withheld]).toEqual(['no-data', true]);
    } finally {
      await store.close();
    }
  });
});
