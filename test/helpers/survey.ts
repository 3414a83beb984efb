import type { Estate } from '../../server/config/schema.js';
import type { StoredResponse } from '../../surveys/counts.js';
import { checkResponse } from '../../surveys/response.js';

/** SUS answers (sus1 … sus10) scoring exactly `score`, a multiple of 10 from 0 to 100. */
export function susFor(score: number): Record<string, number> {
  const points = score / 2.5; // 0–40, spread over ten items of 0–4
  const answers: Record<string, number> = {};
  for (let i = 1; i <= 10; i++) {
    const part = Math.min(4, Math.max(0, points - (i - 1) * 4));
    answers[`sus${i}`] = i % 2 === 1 ? 1 + part : 5 - part;
  }
  return answers;
}

/** One trust, one site, the EPR checked from it, and a live survey of it (principles to be added). */
export const oneSiteSurveyYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-web, system: epr, type: tcp, target: epr.example.org:443, every: 1m, from: [st-annes] }
surveys:
  - { id: live-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, publish: live, systems: { epr: sus } }
`;

/**
 * Responses from nursing staff at St Anne's (Riverside) on 2 November 2026 to an estate's first survey,
 * rating the EPR alternately at a SUS score and 10 above it.
 */
export function susResponses(estate: Estate, count: number, score: number): StoredResponse[] {
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
