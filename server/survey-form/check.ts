import type { StoredResponse } from '../../surveys/counts.js';
import { itemText, siteItems, staffGroups } from '../../surveys/instruments.js';
import { checkResponse } from '../../surveys/response.js';
import { type Answers, ratedSystems, systemItems, systemName, toResponseInput } from './answers.js';
import { type FieldError, type SummaryRow, summaryList } from './components.js';
import { type Html, html } from './html.js';
import { type FormContext, flow, optionLabel } from './pages.js';

export const CHECK_PAGE = 'check';
export const CHECK_TITLE = 'Check your answers';

/**
 * Whether the answers can be sent: each page's own checks first (pointing at its Change button),
 * then the same `checkResponse` the JSON API uses.
 */
export function checkAll(
  context: FormContext,
  answers: Answers,
  day: string,
): { ok: true; response: StoredResponse } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  for (const page of flow(context, answers)) {
    const first = page.validate(answers)[0];
    if (first) errors.push({ id: `change-${page.key}`, message: `${page.title}: ${first.message}` });
  }
  if (errors.length > 0) return { ok: false, errors };
  const checked = checkResponse(
    toResponseInput(answers, context.survey),
    context.survey,
    context.estate,
    day,
  );
  if (checked.ok) return checked;
  const firstSystem = ratedSystems(context.survey)[0];
  return {
    ok: false,
    errors: checked.problems.map((problem) =>
      problem.path === 'answers'
        ? {
            id: `change-use-${firstSystem}`,
            message:
              'You need to answer at least one question: answer a question about the IT at your site, or change your answer to “Do you use …?” to Yes for a system you use and rate it',
          }
        : { id: 'check-answers', message: `${problem.path}: ${problem.message}` },
    ),
  };
}

const notAnswered = html`<span class="nhsuk-hint nhsuk-u-margin-bottom-0">Not answered</span>`;

export function renderCheck(context: FormContext, answers: Answers): Html {
  const { survey, estate } = context;
  const named = <T extends { id: string; name: string }>(list: readonly T[], id: string | undefined) =>
    list.find((x) => x.id === id)?.name ?? notAnswered;
  // The first row's Change button has the page's id, so errors about the page can link to it.
  const aboutRow = (key: string, value: Html | string, id: string): SummaryRow => ({
    key,
    value,
    change: { page: 'about-you', id, hidden: key.toLowerCase() },
  });
  const about = [
    aboutRow('Organisation', named(estate.organisations, answers.get('organisation')), 'change-about-you'),
    aboutRow('Site', named(estate.sites, answers.get('site')), 'change-about-you-site'),
    aboutRow(
      'Staff group',
      staffGroups.find((g) => g.id === answers.get('staffGroup'))?.label ?? notAnswered,
      'change-about-you-staff-group',
    ),
  ];

  const systems = ratedSystems(survey).map((system) => {
    const name = systemName(estate, system);
    const uses = answers.get(`use.${system}`);
    const rows: SummaryRow[] = [
      {
        key: `Do you use ${name}?`,
        value: uses === 'yes' ? 'Yes' : uses === 'no' ? 'No' : notAnswered,
        change: { page: `use-${system}`, id: `change-use-${system}`, hidden: `whether you use ${name}` },
      },
    ];
    if (uses === 'yes') {
      const { required, optional } = systemItems(survey, system);
      for (const item of [...required, ...optional]) {
        const value = answers.get(`${system}.${item.id}`);
        rows.push({
          key: itemText(item, name),
          value: value === undefined ? notAnswered : optionLabel(item, value),
          change: {
            page: `rate-${system}`,
            id: rows.length === 1 ? `change-rate-${system}` : `change-rate-${system}-${rows.length}`,
            hidden: itemText(item, name),
          },
        });
      }
    }
    return html`<h2 class="nhsuk-heading-m">${name}</h2>${summaryList(rows)}`;
  });

  const site: SummaryRow[] = siteItems.map((item, i) => {
    const value = answers.get(item.id);
    return {
      key: item.text,
      value: value === undefined ? notAnswered : optionLabel(item, value),
      change: {
        page: 'your-site',
        id: i === 0 ? 'change-your-site' : `change-your-site-${i + 1}`,
        hidden: item.text,
      },
    };
  });
  site.push({
    key: 'Comment',
    value: answers.get('comment') ?? notAnswered,
    change: { page: 'your-site', id: 'change-comment', hidden: 'your comment' },
  });

  return html`<h1 class="nhsuk-heading-l" id="check-answers">${CHECK_TITLE}</h1>
<h2 class="nhsuk-heading-m">About you</h2>
${summaryList(about)}
${systems}
<h2 class="nhsuk-heading-m">IT at your site</h2>
${summaryList(site)}
<h2 class="nhsuk-heading-m">Now send your answers</h2>
<p class="nhsuk-body">Your answers are stored without your name or IP address, with the date only to the day. Anything in your comment that looks like an email address, phone number or NHS number is removed.</p>`;
}
