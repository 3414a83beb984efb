import { didYouMean } from '../../common/suggest.js';
import { infrastructureItems, itemOfKey } from '../../surveys/instruments.js';

interface PrincipleFields {
  metric: string;
  item?: string | undefined;
  answers?: (string | number)[] | undefined;
}

const itemIds = infrastructureItems.map((item) => item.id);

/**
 * What a survey principle's `item` and `answers` must be: survey-net reads an agreement item,
 * survey-share an item and the answers it counts; no other metric reads either, so neither is
 * accepted there (it would do nothing). The located error names the principle and the field.
 */
export function surveyItemIssues(
  principle: PrincipleFields,
): { path: (string | number)[]; message: string }[] {
  const { metric, item, answers } = principle;
  const issues: { path: (string | number)[]; message: string }[] = [];
  const readsItem = metric === 'survey-net' || metric === 'survey-share';
  if (!readsItem) {
    if (item !== undefined)
      issues.push({
        path: ['item'],
        message: `only survey-net and survey-share principles read an item`,
      });
    if (answers !== undefined)
      issues.push({ path: ['answers'], message: `only survey-share principles count answers` });
    return issues;
  }
  if (item === undefined) {
    const example = metric === 'survey-net' ? 'infra.available' : 'infra.workingDevice';
    return [
      {
        path: ['metric'],
        message: `a ${metric} principle names the survey item it reads: give item, such as ${example}`,
      },
    ];
  }
  const asked = itemIds.includes(item as (typeof itemIds)[number]) ? itemOfKey(item) : undefined;
  if (!asked)
    return [{ path: ['item'], message: `unknown survey item '${item}'${didYouMean(item, itemIds)}` }];
  if (metric === 'survey-net') {
    if (!('net' in asked))
      issues.push({
        path: ['item'],
        message: `'${item}' is not an agreement item, so it has no net score; agreement items: ${agreementItems().join(', ')}`,
      });
    if (answers !== undefined)
      issues.push({
        path: ['answers'],
        message: `a survey-net principle counts agree against disagree; answers are for survey-share`,
      });
    return issues;
  }
  if (answers === undefined)
    return [
      {
        path: ['metric'],
        message: `a survey-share principle names the answers it counts: give answers, such as [${String(asked.options[0]?.value)}]`,
      },
    ];
  const options = asked.options.filter((o) => !('optOut' in o && o.optOut)).map((o) => String(o.value));
  answers.forEach((answer, i) => {
    if (!options.includes(String(answer)))
      issues.push({
        path: ['answers', i],
        message: `'${answer}' is not an answer to ${item} that is counted; its answers: ${options.join(', ')}`,
      });
  });
  return issues;
}

const agreementItems = () => infrastructureItems.filter((item) => 'net' in item).map((item) => item.id);
