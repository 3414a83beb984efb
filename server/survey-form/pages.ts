import {
  type ChoiceItem,
  comment as commentItem,
  itemText,
  type ScaleItem,
  siteItems,
  staffGroups,
} from '../../surveys/instruments.js';
import type { Survey } from '../config/schema.js';
import { type Answers, type FormEstate, ratedSystems, systemItems, systemName } from './answers.js';
import { radios, select, textarea } from './components.js';
import { type Html, html } from './html.js';
import { siteSelect } from './site-filter.js';

/** One page of questions: what it asks, how it checks them, how it looks. */
export interface Page {
  key: string;
  /** The page's part of the `<title>`. */
  title: string;
  /** Which of the form's sections it is in (SECTIONS), for the progress shown on every page. */
  section: number;
  /** The field names this page asks; all other answers ride along as hidden fields. */
  fields: ReadonlySet<string>;
  /** Problems in order of the page, by field name. */
  validate(answers: Answers): { name: string; message: string }[];
  render(answers: Answers, errors: ReadonlyMap<string, string>): Html;
}

export interface FormContext {
  survey: Survey;
  estate: FormEstate;
  /** The smallest group whose results are shown, as the pages promise respondents. */
  minGroupSize: number;
}

export function optionLabel(item: ScaleItem | ChoiceItem, value: string): string {
  const option = (item.options as readonly { value: number | string; label: string | null }[]).find(
    (o) => String(o.value) === value,
  );
  if (!option) return value;
  if (item.kind === 'choice' || item.options.every((o) => o.label !== null)) return option.label ?? value;
  return option.label ? `${option.value} – ${option.label}` : String(option.value);
}

function itemRadios(
  item: ScaleItem | ChoiceItem,
  name: string,
  legend: string,
  answers: Answers,
  errors: ReadonlyMap<string, string>,
  hint?: string,
): Html {
  const labelledScale = item.kind === 'scale' && item.options.some((o) => o.label === null);
  return radios({
    name,
    legend,
    legendSize: 's',
    ...(hint ? { hint } : {}),
    inline: labelledScale,
    items: item.options.map((o) => ({ value: String(o.value), label: optionLabel(item, String(o.value)) })),
    value: answers.get(name),
    error: errors.get(name),
  });
}

function aboutYou({ estate, minGroupSize }: FormContext): Page {
  const organisations = estate.organisations.map((o) => ({ value: o.id, label: o.name }));
  return {
    key: 'about-you',
    title: 'About you',
    section: 1,
    fields: new Set(['organisation', 'site', 'staffGroup']),
    validate: (answers) => [
      ...(answers.has('organisation')
        ? []
        : [{ name: 'organisation', message: 'Select the organisation you work for' }]),
      ...(answers.has('site') ? [] : [{ name: 'site', message: 'Select the site where you mostly work' }]),
      ...(answers.has('staffGroup') ? [] : [{ name: 'staffGroup', message: 'Select your staff group' }]),
    ],
    render: (answers, errors) => html`<h1 class="nhsuk-heading-l">About you</h1>
<p class="nhsuk-body">These answers group your ratings with other people's. They are never shown for a group of fewer than ${String(minGroupSize)} people.</p>
${select({ name: 'organisation', label: 'Which organisation do you work for?', items: organisations, value: answers.get('organisation'), error: errors.get('organisation') })}
${siteSelect(estate, answers.get('organisation'), answers.get('site'), errors.get('site'))}
${radios({
  name: 'staffGroup',
  legend: 'Which staff group are you in?',
  legendSize: 's',
  items: staffGroups.map((g) => ({ value: g.id, label: g.label })),
  value: answers.get('staffGroup'),
  error: errors.get('staffGroup'),
})}`,
  };
}

function useSystem({ estate }: FormContext, system: string): Page {
  const name = systemName(estate, system);
  const field = `use.${system}`;
  return {
    key: `use-${system}`,
    title: `Do you use ${name}?`,
    section: 2,
    fields: new Set([field]),
    validate: (answers) =>
      answers.has(field) ? [] : [{ name: field, message: `Select yes if you use ${name}` }],
    render: (answers, errors) =>
      radios({
        name: field,
        legend: `Do you use ${name}?`,
        legendSize: 'l',
        asHeading: true,
        hint: 'If you say no, we will not ask you about it.',
        inline: true,
        items: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ],
        value: answers.get(field),
        error: errors.get(field),
      }),
  };
}

function rateSystem({ survey, estate }: FormContext, system: string): Page {
  const name = systemName(estate, system);
  const { required, optional } = systemItems(survey, system);
  const field = (item: ScaleItem) => `${system}.${item.id}`;
  return {
    key: `rate-${system}`,
    title: `Using ${name}`,
    section: 2,
    fields: new Set([...required, ...optional].map(field)),
    validate: (answers) =>
      required
        .filter((item) => !answers.has(field(item)))
        .map((item) => ({ name: field(item), message: `Select an answer for “${itemText(item, name)}”` })),
    render: (answers, errors) => html`<h1 class="nhsuk-heading-l">Using ${name}</h1>
<p class="nhsuk-body">For each statement, choose how much you agree or disagree. There are no right or wrong answers: go with your first reaction.</p>
${required.map((item, i) => itemRadios(item, field(item), `${i + 1}. ${itemText(item, name)}`, answers, errors))}
<h2 class="nhsuk-heading-m">${name} day to day</h2>
<p class="nhsuk-body">These are optional.</p>
${optional.map((item) => itemRadios(item, field(item), itemText(item, name), answers, errors, 'Optional'))}`,
  };
}

function yourSite(_context: FormContext): Page {
  return {
    key: 'your-site',
    title: 'IT at your site',
    section: 3,
    fields: new Set([...siteItems.map((item) => item.id), 'comment']),
    validate: (answers) => {
      const text = answers.get('comment');
      return text && text.length > commentItem.maxLength
        ? [
            {
              name: 'comment',
              message: `Your answer must be ${commentItem.maxLength.toLocaleString('en-GB')} characters or fewer (it is ${text.length.toLocaleString('en-GB')})`,
            },
          ]
        : [];
    },
    render: (answers, errors) => html`<h1 class="nhsuk-heading-l">IT at your site</h1>
<p class="nhsuk-body">Every question on this page is optional.</p>
${siteItems.map((item) => itemRadios(item, item.id, item.text, answers, errors))}
${textarea({
  name: 'comment',
  label: commentItem.text,
  hint: `${commentItem.hint} You can enter up to ${commentItem.maxLength.toLocaleString('en-GB')} characters.`,
  value: answers.get('comment'),
  error: errors.get('comment'),
})}`,
  };
}

/**
 * The form's sections, the same for everyone whatever they use: the pages within one vary (a system's
 * ratings only for those who use it), so progress is told by section, never by a page count that moves.
 */
export const SECTIONS = [
  'About you',
  'The systems you use',
  'IT at your site',
  'Check your answers',
] as const;

/** Where a page is in the form: "Section 2 of 4: The systems you use", and a progress bar. */
export function progress(section: number): Html {
  const text = `Section ${section} of ${SECTIONS.length}: ${SECTIONS[section - 1] ?? ''}`;
  return html`<div class="vantage-progress">
<p class="nhsuk-body-s nhsuk-u-margin-bottom-1" id="form-progress">${text}</p>
<progress max="${String(SECTIONS.length)}" value="${String(section)}" aria-labelledby="form-progress">${text}</progress>
</div>`;
}

/** The pages in order for these answers: a system's ratings only when the respondent uses it. */
export function flow(context: FormContext, answers: Answers): Page[] {
  const pages = [aboutYou(context)];
  for (const system of ratedSystems(context.survey)) {
    pages.push(useSystem(context, system));
    if (answers.get(`use.${system}`) === 'yes') pages.push(rateSystem(context, system));
  }
  pages.push(yourSite(context));
  return pages;
}
