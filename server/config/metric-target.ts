interface PrincipleFields {
  metric: string;
  target: string | number;
  hours?: string | undefined;
}

/** The range and form of a target for the metrics read in days, scores and shares. */
const RULES: Record<string, { unit: string; min: number; max: number; percent: 'no' | 'may' }> = {
  'certificate-expiry': { unit: 'a number of days, such as 14', min: 0, max: 3650, percent: 'no' },
  'survey-score': { unit: 'a score from 0 to 100, such as 68', min: 0, max: 100, percent: 'no' },
  'survey-net': { unit: 'a net score from -100 to 100, such as 20', min: -100, max: 100, percent: 'may' },
  'survey-share': { unit: 'a share from 0% to 100%, such as 90%', min: 0, max: 100, percent: 'may' },
};

const SURVEY = new Set(['survey-score', 'survey-net', 'survey-share']);

/**
 * A certificate or survey principle's target in its own unit (a time or a percentage of days would
 * be misread), and no `hours` on a survey principle: a campaign's figures have no hours, so the key
 * would do nothing.
 */
export function metricTargetIssues(principle: PrincipleFields): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const rule = RULES[principle.metric];
  if (rule) {
    const text = String(principle.target);
    const value = Number.parseFloat(text);
    const unitless = typeof principle.target === 'number' || /^[+-]?\d+(\.\d+)?$/.test(text);
    const percent = typeof principle.target === 'string' && text.endsWith('%');
    if ((!unitless && !(percent && rule.percent === 'may')) || value < rule.min || value > rule.max)
      issues.push({
        path: ['target'],
        message: `a ${principle.metric} target is ${rule.unit}, not '${text}'`,
      });
  }
  if (SURVEY.has(principle.metric) && principle.hours !== undefined)
    issues.push({
      path: ['hours'],
      message: `a ${principle.metric} principle reads a survey campaign, which has no hours: leave hours out`,
    });
  return issues;
}
