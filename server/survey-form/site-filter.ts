import type { FormEstate } from './answers.js';
import { fieldId, type Html, html } from './html.js';

/**
 * The site question, narrowed to the sites of the organisation chosen: staff mostly work at their own
 * organisation's sites, but not only (organisations and sites are not nested), so the others stay one
 * step away. Without JavaScript the list is grouped (the chosen organisation's sites first, once it is
 * known); with it, /survey/assets/site-filter.js shows only that organisation's sites and an option
 * to see every site.
 */
export function siteSelect(
  estate: FormEstate,
  organisation: string | undefined,
  value: string | undefined,
  error: string | undefined,
): Html {
  const id = fieldId('site');
  const name = (org: string) => estate.organisations.find((o) => o.id === org)?.name ?? org;
  const option = (site: FormEstate['sites'][number]) =>
    html`<option value="${site.id}" data-host="${site.host}"${value === site.id ? html` selected` : ''}>${site.name}</option>`;
  const own = estate.sites.filter((s) => s.host === organisation);
  const groups: [string, FormEstate['sites']][] =
    own.length > 0
      ? [
          [`Sites of ${name(organisation as string)}`, own],
          ["Other organisations' sites", estate.sites.filter((s) => s.host !== organisation)],
        ]
      : estate.organisations.map((o): [string, FormEstate['sites']] => [
          `Sites of ${o.name}`,
          estate.sites.filter((s) => s.host === o.id),
        ]);
  return html`<div class="nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}">
<label class="nhsuk-label nhsuk-label--s" for="${id}">Which site do you mostly work at?</label>
<div class="nhsuk-hint" id="${id}-hint">The sites of the organisation you work for are listed first.</div>
${error ? html`<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>` : ''}
<select class="nhsuk-select${error ? ' nhsuk-select--error' : ''}" id="${id}" name="site" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}">
<option value=""${value === undefined ? html` selected` : ''}>Select one</option>
${groups
  .filter(([, sites]) => sites.length > 0)
  .map(([label, sites]) => html`<optgroup label="${label}">${sites.map(option)}</optgroup>`)}
</select>
</div>`;
}

/**
 * Served as /survey/assets/site-filter.js (the page's CSP allows scripts from this site only): when
 * an organisation is chosen, the site list shows its sites and "A site of another organisation…",
 * which shows them all. The form works the same without it.
 */
export const siteFilterScript = `(() => {
  const organisation = document.getElementById('organisation');
  const site = document.getElementById('site');
  if (!organisation || !site) return;
  const EVERY = '__every-site';
  const sites = [...site.querySelectorAll('option[data-host]')].map((o) => ({ value: o.value, label: o.textContent, host: o.dataset.host }));
  const names = new Map([...organisation.options].map((o) => [o.value, o.textContent]));
  const add = (parent, value, label, host) => {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = label;
    if (host) option.dataset.host = host;
    parent.append(option);
  };
  const show = (every) => {
    const chosen = site.value;
    const own = sites.filter((s) => s.host === organisation.value);
    site.replaceChildren();
    add(site, '', 'Select one');
    if (every || own.length === 0) {
      for (const [org, label] of names) {
        const mine = sites.filter((s) => s.host === org);
        if (mine.length === 0) continue;
        const group = document.createElement('optgroup');
        group.label = 'Sites of ' + label;
        for (const s of mine) add(group, s.value, s.label, s.host);
        site.append(group);
      }
    } else {
      for (const s of own) add(site, s.value, s.label, s.host);
      add(site, EVERY, 'A site of another organisation…');
    }
    site.value = [...site.options].some((o) => o.value === chosen && chosen !== EVERY) ? chosen : '';
  };
  organisation.addEventListener('change', () => show(false));
  site.addEventListener('change', () => {
    if (site.value === EVERY) show(true);
  });
  const current = sites.find((s) => s.value === site.value);
  show(current !== undefined && current.host !== organisation.value);
})();
`;
