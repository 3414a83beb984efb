import type { Answers } from './answers.js';
import { fieldId, type Html, html } from './html.js';

/** A problem on a page: the field it belongs to (its element id is linked from the summary). */
export interface FieldError {
  id: string;
  message: string;
}

/** Served after the NHS stylesheet in one file: the CSP allows no `<style>` element in the page. */
export const formCss = `
.vantage-link-button{background:none;border:0;padding:0;color:#005eb8;text-decoration:underline;cursor:pointer;font:inherit}
.vantage-link-button:hover{color:#7c2855;text-decoration:none}
.vantage-link-button:focus{background-color:#ffeb3b;box-shadow:0 -2px #ffeb3b,0 4px #212b32;color:#212b32;outline:4px solid transparent;text-decoration:none}
.nhsuk-select{max-width:100%}
.nhsuk-summary-list__value,.nhsuk-summary-list__key{overflow-wrap:anywhere}
.vantage-progress{margin-bottom:24px}
.vantage-progress progress{display:block;width:100%;height:12px;accent-color:#005eb8}
`;

const SURVEY_FOOTER = html`<p class="nhsuk-body-s">This survey is anonymous: no name, no IP address, and the date only to the day.</p>`;

/**
 * The whole page: NHS header and width container, our stylesheet only, and no script but one that
 * improves a page that works without it. The survey's by
 * default; the sign-in pages name their own service and footer.
 */
export function layout(options: {
  title: string;
  errors?: boolean;
  body: Html;
  service?: string;
  footer?: Html;
  /** A script of this site's that improves the page; the page works the same without it. */
  script?: string;
  /** A stylesheet of this site's for the page's own parts, after the NHS one. */
  stylesheet?: string;
}): Html {
  const title = options.errors ? `Error: ${options.title}` : options.title;
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/survey/assets/nhsuk.css">
${options.stylesheet ? html`<link rel="stylesheet" href="${options.stylesheet}">` : ''}
${options.script ? html`<script src="${options.script}" defer></script>` : ''}
</head>
<body>
<a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
<header class="nhsuk-header">
<div class="nhsuk-header__container nhsuk-width-container">
<div class="nhsuk-header__service"><span class="nhsuk-header__service-name">${options.service ?? 'Staff IT survey'}</span></div>
</div>
</header>
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="maincontent">
<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
${options.body}
</div></div>
</main>
</div>
<footer class="nhsuk-footer"><div class="nhsuk-width-container">
${options.footer ?? SURVEY_FOOTER}
</div></footer>
</body>
</html>`;
}

export function errorSummary(errors: readonly FieldError[]): Html {
  if (errors.length === 0) return html``;
  return html`<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" autofocus>
<h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
<div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">
${errors.map((e) => html`<li><a href="#${e.id}">${e.message}</a></li>`)}
</ul></div>
</div>`;
}

function errorMessage(id: string, message: string | undefined): Html {
  if (!message) return html``;
  return html`<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${message}</span>`;
}

function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** Radios in a fieldset; the first radio carries the field's id, which error links point at. */
export function radios(options: {
  name: string;
  legend: string;
  legendSize?: 'l' | 'm' | 's';
  asHeading?: boolean;
  hint?: string;
  inline?: boolean;
  items: readonly { value: string; label: string }[];
  value: string | undefined;
  error: string | undefined;
}): Html {
  const id = fieldId(options.name);
  const size = options.legendSize ?? 'm';
  const describe = describedBy(id, options.hint, options.error);
  return html`<div class="nhsuk-form-group${options.error ? ' nhsuk-form-group--error' : ''}">
<fieldset class="nhsuk-fieldset"${describe ? html` aria-describedby="${describe}"` : ''}>
<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--${size}">${
    options.asHeading ? html`<h1 class="nhsuk-fieldset__heading">${options.legend}</h1>` : options.legend
  }</legend>
${options.hint ? html`<div class="nhsuk-hint" id="${id}-hint">${options.hint}</div>` : ''}
${errorMessage(id, options.error)}
<div class="nhsuk-radios${options.inline ? ' nhsuk-radios--inline' : ''}">
${options.items.map((item, i) => {
  const itemId = i === 0 ? id : `${id}-${i + 1}`;
  return html`<div class="nhsuk-radios__item">
<input class="nhsuk-radios__input" id="${itemId}" name="${options.name}" type="radio" value="${item.value}"${
    options.value === item.value ? html` checked` : ''
  }>
<label class="nhsuk-label nhsuk-radios__label" for="${itemId}">${item.label}</label>
</div>`;
})}
</div>
</fieldset>
</div>`;
}

export function select(options: {
  name: string;
  label: string;
  items: readonly { value: string; label: string }[];
  value: string | undefined;
  error: string | undefined;
}): Html {
  const id = fieldId(options.name);
  const describe = describedBy(id, undefined, options.error);
  return html`<div class="nhsuk-form-group${options.error ? ' nhsuk-form-group--error' : ''}">
<label class="nhsuk-label nhsuk-label--s" for="${id}">${options.label}</label>
${errorMessage(id, options.error)}
<select class="nhsuk-select${options.error ? ' nhsuk-select--error' : ''}" id="${id}" name="${options.name}"${
    describe ? html` aria-describedby="${describe}"` : ''
  }>
<option value=""${options.value === undefined ? html` selected` : ''}>Select one</option>
${options.items.map(
  (item) =>
    html`<option value="${item.value}"${options.value === item.value ? html` selected` : ''}>${item.label}</option>`,
)}
</select>
</div>`;
}

export function textarea(options: {
  name: string;
  label: string;
  hint: string;
  value: string | undefined;
  error: string | undefined;
}): Html {
  const id = fieldId(options.name);
  return html`<div class="nhsuk-form-group${options.error ? ' nhsuk-form-group--error' : ''}">
<label class="nhsuk-label nhsuk-label--m" for="${id}">${options.label}</label>
<div class="nhsuk-hint" id="${id}-hint">${options.hint}</div>
${errorMessage(id, options.error)}
<textarea class="nhsuk-textarea${options.error ? ' nhsuk-textarea--error' : ''}" id="${id}" name="${options.name}" rows="5" aria-describedby="${describedBy(id, options.hint, options.error)}">${options.value ?? ''}</textarea>
</div>`;
}

/** The answers from other pages, carried forward in the form. */
export function hiddenFields(answers: Answers, except: ReadonlySet<string>): Html {
  return html`${[...answers]
    .filter(([name]) => !except.has(name))
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">\n`)}`;
}

export interface SummaryRow {
  key: string;
  value: Html | string;
  /** The page its Change button reopens, and the button's id. */
  change?: { page: string; id: string; hidden: string };
}

export function summaryList(rows: readonly SummaryRow[]): Html {
  return html`<dl class="nhsuk-summary-list">
${rows.map(
  (row) => html`<div class="nhsuk-summary-list__row">
<dt class="nhsuk-summary-list__key">${row.key}</dt>
<dd class="nhsuk-summary-list__value">${row.value}</dd>
<dd class="nhsuk-summary-list__actions">${
    row.change
      ? html`<button type="submit" class="vantage-link-button" id="${row.change.id}" name="_action" value="change:${row.change.page}">Change<span class="nhsuk-u-visually-hidden"> ${row.change.hidden}</span></button>`
      : ''
  }</dd>
</div>`,
)}
</dl>`;
}
