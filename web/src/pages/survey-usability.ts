import { susEquivalent } from '../../../surveys/scoring.js';
import { chartFigure } from '../charts.js';
import { h, listInWords } from '../dom.js';
import { count } from '../format.js';
import { responsiveTable } from '../table.js';
import type { SurveyTarget } from '../types.js';
import {
  barOptions,
  grade,
  instrumentName,
  interval,
  lines,
  one,
  rowHeight,
  type Score,
  withheld,
} from './survey-shared.js';

type Shown = Extract<Score, { withheld?: false }>;

/**
 * A score on the SUS scale: SUS as it is, UMUX-Lite as its SUS equivalent (a straight line, so its
 * interval maps end to end), so every system is drawn on one scale beside the others.
 */
const onSusScale = (instrument: string, value: number) =>
  instrument === 'umux-lite' ? susEquivalent(value) : value;

/** A principle's target in words: on the instrument's own scale, as the principle compares it. */
function targetText(target: SurveyTarget): string {
  return target.instrument === 'umux-lite'
    ? `${one(target.target)} on UMUX-Lite (SUS equivalent ${one(susEquivalent(target.target))}), ${target.title}`
    : `${one(target.target)}, ${target.title}`;
}

/**
 * Each system's mean with its 95% interval, every one on the SUS scale (UMUX-Lite as its SUS
 * equivalent), with the target of the estate's survey-score principle for it drawn across its bar.
 * Targets are given only to those who may read the principles (signed in): otherwise none is drawn.
 */
export function usability(
  scores: Record<string, Score>,
  systemName: (id: string) => string,
  mark: string,
  targets: SurveyTarget[] = [],
): HTMLElement {
  const systems = Object.keys(scores).sort((a, b) => systemName(a).localeCompare(systemName(b)));
  // The first principle (in the estate file's order) that sets one is the system's target.
  const targetOf = (system: string) => targets.find((t) => t.system === system);
  const shown = systems.flatMap((system) => {
    const score = scores[system];
    return score && !score.withheld ? [{ system, score: score as Shown }] : [];
  });
  const hidden = systems.filter((system) => scores[system]?.withheld);
  const withTargets = targets.length > 0;
  const table = responsiveTable(
    `Usability by system: mean score out of 100 with its 95% interval${mark}`,
    [
      'System',
      'Instrument',
      'Responses',
      'Mean',
      '95% interval',
      'Grade or SUS equivalent',
      ...(withTargets ? ['Target'] : []),
    ],
    systems.map((system) => {
      const score = scores[system] as Score;
      const target = targetOf(system);
      const targetCell = withTargets ? [target ? targetText(target) : 'None set'] : [];
      if (score.withheld) {
        return [
          systemName(system),
          instrumentName(score.instrument),
          withheld(score.reason),
          '—',
          '—',
          '—',
          ...targetCell,
        ];
      }
      return [
        systemName(system),
        instrumentName(score.instrument),
        count(score.n),
        one(score.mean),
        interval(score.ci95),
        grade(score),
        ...targetCell,
      ];
    }),
    systems.map((system) => `usability-${system}`),
  );
  const drawnTargets = shown.flatMap(({ system, score }, index) => {
    const target = targetOf(system);
    return target ? [{ index, system, at: onSusScale(score.instrument, target.target) }] : [];
  });
  const description =
    drawnTargets.length === 0
      ? ''
      : `; targets drawn as red lines: ${listInWords(drawnTargets.map((t) => `${systemName(t.system)} ${one(t.at)}`))}`;
  return h(
    'section',
    { 'aria-labelledby': 'survey-usability' },
    h('h2', { id: 'survey-usability' }, 'Usability by system'),
    h(
      'p',
      { class: 'nhsuk-body' },
      'Scores are out of 100; higher is easier to use. Systems rated on the System Usability Scale (SUS) are graded on the Sauro–Lewis curve, where C is about average (a SUS score of 68). Systems rated on the shorter UMUX-Lite are drawn at their SUS equivalent (0.65 × score + 22.9), so all are on one scale; the table gives their own score too. The thin dark bar is the 95% interval of the mean.',
    ),
    withTargets
      ? h(
          'p',
          { class: 'nhsuk-body', 'data-testid': 'usability-targets' },
          "A red line across a system's bar is the target its survey-score principle sets (for UMUX-Lite, the target's SUS equivalent).",
        )
      : '',
    shown.length === 0 ? h('p', { class: 'nhsuk-body' }, 'No system had enough responses to show.') : '',
    hidden.length > 0
      ? h(
          'p',
          { class: 'nhsuk-body', 'data-testid': 'usability-withheld' },
          `Withheld: ${listInWords(hidden.map(systemName))}, rated by fewer than the minimum group size.`,
        )
      : '',
    shown.length === 0
      ? table
      : chartFigure(
          `Mean usability score by system on the SUS scale, with 95% intervals${description}${mark}`,
          {
            type: 'bar',
            data: {
              labels: shown.map(({ system, score }) =>
                lines(
                  `${systemName(system)} (${instrumentName(score.instrument)}, n\u00a0=\u00a0${count(score.n)}, ${grade(score)})`,
                ),
              ),
              datasets: [
                {
                  label: '95% interval',
                  data: shown.map(({ score }): [number, number] => [
                    onSusScale(score.instrument, score.ci95[0]),
                    onSusScale(score.instrument, score.ci95[1]),
                  ]),
                  backgroundColor: '#212b32',
                  grouped: false,
                  barPercentage: 0.15,
                },
                {
                  label: 'Mean score (SUS scale)',
                  data: shown.map(({ score }) => onSusScale(score.instrument, score.mean)),
                  backgroundColor: '#41b6e6',
                  grouped: false,
                },
                ...(drawnTargets.length === 0
                  ? []
                  : [
                      {
                        // A short upright line across the bar at the target: a point drawn as a line.
                        type: 'line' as const,
                        label: 'Target',
                        // Drawn last, over the bars, where a target falls inside one.
                        order: -1,
                        // One value per row (none where no target), read along the rows as the bars are.
                        indexAxis: 'y' as const,
                        data: shown.map(
                          (_, index) => drawnTargets.find((t) => t.index === index)?.at ?? null,
                        ),
                        showLine: false,
                        pointStyle: 'line' as const,
                        pointRotation: 90,
                        pointRadius: 18,
                        pointHoverRadius: 18,
                        borderWidth: 4,
                        borderColor: '#d5281b',
                        backgroundColor: '#d5281b',
                      },
                    ]),
              ],
            },
            options: barOptions(0, 100, 'Score out of 100 (SUS scale)'),
          },
          table,
          Math.max(200, shown.length * rowHeight() + 80),
        ),
  );
}
