import 'nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import './styles.css';
import { showAccount } from './account.js';
import { loadMe } from './api.js';
import { h } from './dom.js';
import { accessPage } from './pages/access.js';
import { agentsPage } from './pages/agents.js';
import { alertsPage } from './pages/alerts.js';
import { auditPage } from './pages/audit.js';
import { checkPage } from './pages/check.js';
import { estatePage } from './pages/estate.js';
import { incidentPage } from './pages/incident.js';
import { maintenancePage } from './pages/maintenance.js';
import { notificationsPage } from './pages/notifications.js';
import { organisationPage } from './pages/organisation.js';
import { overviewPage } from './pages/overview.js';
import { principlePage } from './pages/principle.js';
import { principlesPage } from './pages/principles.js';
import { reportsPage } from './pages/reports.js';
import { statusPage } from './pages/status.js';
import { surveyPage } from './pages/survey.js';
import { surveysPage } from './pages/surveys.js';
import { systemPage } from './pages/system.js';
import { openFoldsForPrint } from './print.js';

import type { MeResponse } from './types.js';

/** A page: given where to draw, the id in its address and who is signed in; answers its title. */
type Page = (main: HTMLElement, id: string, me: MeResponse | undefined) => Promise<string>;

const routes: [RegExp, Page][] = [
  [/^\/$/, overviewPage],
  [/^\/estate$/, estatePage],
  [/^\/checks\/([a-z0-9-]+)$/, checkPage],
  [/^\/systems\/([a-z0-9-]+)$/, systemPage],
  [/^\/principles$/, principlesPage],
  [/^\/principles\/([a-z0-9-]+)$/, principlePage],
  [/^\/organisations\/([a-z0-9-]+)$/, organisationPage],
  [/^\/maintenance$/, maintenancePage],
  [/^\/status$/, statusPage],
  [/^\/agents$/, agentsPage],
  [/^\/reports$/, reportsPage],
  [/^\/surveys$/, surveysPage],
  [/^\/surveys\/([a-z0-9-]+)$/, surveyPage],
  [/^\/audit$/, auditPage],
  [/^\/access$/, accessPage],
  [/^\/notifications$/, notificationsPage],
  [/^\/alerts$/, alertsPage],
  // Where alert messages link; `/alerts/ID/ack` is the signed link's own page, served by the server.
  [/^\/alerts\/([0-9]+)$/, incidentPage],
];

/** Marks the header link for the page shown, if it has one. */
function markCurrent(): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.nhsuk-header__navigation-link')) {
    if (link.pathname === location.pathname) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** The page is built after it loads, so a link to a part of it (#site-x) is followed once it is. */
function showTarget(): void {
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  target?.scrollIntoView();
}

async function render(): Promise<void> {
  const main = document.getElementById('maincontent');
  if (!main) return;
  const route = routes.find(([pattern]) => pattern.test(location.pathname));
  try {
    const me = await loadMe();
    showAccount(me);
    markCurrent();
    const id = route ? decodeURIComponent(route[0].exec(location.pathname)?.[1] ?? '') : '';
    const title = route ? await route[1](main, id, me) : notFound(main);
    document.title = `${title} – Vantage`;
    showTarget();
  } catch (error) {
    document.title = 'Error – Vantage';
    main.replaceChildren(
      h(
        'div',
        { class: 'nhsuk-error-summary', role: 'alert', tabindex: -1 },
        h('h1', { class: 'nhsuk-error-summary__title' }, 'There is a problem'),
        h(
          'div',
          { class: 'nhsuk-error-summary__body' },
          h('p', {}, error instanceof Error ? error.message : 'The page could not be shown.'),
        ),
      ),
    );
  }
}

function notFound(main: HTMLElement): string {
  main.replaceChildren(
    h('h1', {}, 'Page not found'),
    h('p', {}, 'If you typed the web address, check it is correct. '),
    h('p', {}, h('a', { href: '/' }, 'Go to the overview')),
  );
  return 'Page not found';
}

openFoldsForPrint(window);
void render();
