import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Estate } from '../../server/config/schema.js';
import { compliance } from '../../server/principles/compliance.js';
import { parsePeriod } from '../../server/principles/period.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { keptFigures } from '../../server/survey/results-cache.js';
import { estateFrom } from '../helpers/estates.js';
import { oneSiteSurveyYaml, susResponses } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const NOW = Date.UTC(2026, 10, 24, 12);

const yaml = `${oneSiteSurveyYaml}principles:
  - { id: usable, title: Usable systems, metric: survey-score, target: 68 }
`;

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
      await store.survey.addResponses(susResponses(estate, 12, 50));
      expect(await score(estate)).toBe(55);
      expect(await score(estate)).toBe(55);
      // 12 more at 90 and 100: mean (330 + 1140) / 24 = 75.
      await store.survey.addResponses(susResponses(estate, 12, 90));
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
