/** Every route the app mounts, for the hostile-request run (fuzz.test.ts), with ids that name something real. */

export interface Route {
  method: string;
  path: string;
  /** Ids that name something real for `:id`. */
  ids?: string[];
  /** What the route takes, sent (mostly) with its own Content-Type. */
  takes?: 'response' | 'form' | 'batch' | 'heartbeat' | 'note' | 'grant' | 'maintenance' | 'report';
  /** Sent with a live agent token (mostly). */
  agent?: boolean;
}

const checkIds = ['epr-login'];
const surveyIds = ['usability-2026', 'usability-2025'];

/** Each route as mounted. The test below keeps this list whole. */
export const routes: Route[] = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/api/v1/estate' },
  { method: 'GET', path: '/api/v1/checks' },
  { method: 'GET', path: '/api/v1/checks/:id', ids: checkIds },
  { method: 'GET', path: '/api/v1/checks/:id/results', ids: checkIds },
  { method: 'GET', path: '/api/v1/checks/:id/summary', ids: checkIds },
  { method: 'GET', path: '/api/v1/checks/:id/series', ids: checkIds },
  { method: 'GET', path: '/api/v1/systems/:id/responsibility', ids: ['epr'] },
  { method: 'GET', path: '/api/v1/principles' },
  { method: 'GET', path: '/api/v1/compliance' },
  { method: 'GET', path: '/api/v1/principles/:id/compliance', ids: ['epr-available'] },
  { method: 'GET', path: '/api/v1/organisations/:id/compliance', ids: ['riverside'] },
  { method: 'GET', path: '/api/v1/organisations/:id/outages', ids: ['riverside'] },
  { method: 'GET', path: '/api/v1/checks/:id/outages', ids: checkIds },
  { method: 'GET', path: '/api/v1/agents' },
  { method: 'GET', path: '/api/v1/status' },
  { method: 'GET', path: '/api/v1/overview' },
  { method: 'GET', path: '/api/v1/overview/now' },
  { method: 'GET', path: '/api/v1/agent/assignments', agent: true },
  { method: 'POST', path: '/api/v1/agent/heartbeat', agent: true, takes: 'heartbeat' },
  { method: 'POST', path: '/api/v1/agent/results', agent: true, takes: 'batch' },
  { method: 'GET', path: '/api/v1/surveys' },
  { method: 'POST', path: '/api/v1/surveys/:id/responses', ids: surveyIds, takes: 'response' },
  { method: 'GET', path: '/api/v1/surveys/:id/results', ids: surveyIds },
  { method: 'GET', path: '/api/v1/surveys/:id/comments', ids: surveyIds },
  { method: 'GET', path: '/api/v1/surveys/:id/targets', ids: surveyIds },
  { method: 'GET', path: '/api/v1/surveys/:id/compare', ids: surveyIds },
  { method: 'GET', path: '/survey/assets/nhsuk.css' },
  { method: 'GET', path: '/survey/assets/site-filter.js' },
  { method: 'GET', path: '/survey/assets/images/:id', ids: ['favicon.svg', 'nhsuk-icon-180.png'] },
  { method: 'GET', path: '/survey/:id', ids: surveyIds },
  { method: 'POST', path: '/survey/:id', ids: surveyIds, takes: 'form' },
  { method: 'GET', path: '/survey/:id/about-you', ids: surveyIds },
  { method: 'GET', path: '/survey/:id/thank-you', ids: surveyIds },
  { method: 'GET', path: '/auth/oidc' },
  { method: 'GET', path: '/auth/callback' },
  { method: 'GET', path: '/sign-in' },
  { method: 'POST', path: '/sign-in', takes: 'form' },
  { method: 'POST', path: '/sign-in/demo', takes: 'form' },
  { method: 'POST', path: '/sign-out', takes: 'form' },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/status' },
  { method: 'GET', path: '/assets/:id', ids: ['app.js'] },
  { method: 'GET', path: '/checks/:id', ids: checkIds },
  { method: 'GET', path: '/api/v1/:id', ids: ['estate'] },
  { method: 'GET', path: '/api/v1/me' },
  { method: 'GET', path: '/api/v1/users' },
  { method: 'PATCH', path: '/api/v1/users/:id', takes: 'grant' },
  { method: 'DELETE', path: '/api/v1/users/:id' },
  { method: 'GET', path: '/api/v1/api-tokens' },
  { method: 'POST', path: '/api/v1/api-tokens', takes: 'grant' },
  { method: 'DELETE', path: '/api/v1/api-tokens/:id' },
  { method: 'GET', path: '/api/v1/audit' },
  { method: 'GET', path: '/api/v1/systems/:id/notes', ids: ['epr'] },
  { method: 'POST', path: '/api/v1/systems/:id/notes', ids: ['epr'], takes: 'note' },
  { method: 'GET', path: '/api/v1/sites/:id/notes', ids: ['st-annes'] },
  { method: 'POST', path: '/api/v1/sites/:id/notes', ids: ['st-annes'], takes: 'note' },
  { method: 'DELETE', path: '/api/v1/notes/:id', ids: ['1'] },
  { method: 'GET', path: '/api/v1/maintenance' },
  { method: 'POST', path: '/api/v1/maintenance', takes: 'maintenance' },
  { method: 'POST', path: '/api/v1/maintenance/:id/end', ids: ['ad-hoc-0000000000', '__proto__'] },
  { method: 'GET', path: '/api/v1/notifications' },
  { method: 'POST', path: '/api/v1/notifications/:id/retry', ids: ['1', '__proto__'] },
  { method: 'GET', path: '/api/v1/channels' },
  { method: 'POST', path: '/api/v1/channels/:id/test', ids: ['riverside-it', '__proto__'] },
  { method: 'GET', path: '/api/v1/reports' },
  { method: 'GET', path: '/api/v1/reports/:id', ids: ['2026-10', '2026-10-v2', '__proto__'] },
  { method: 'POST', path: '/api/v1/reports', takes: 'report' },
  { method: 'POST', path: '/api/v1/reports/:id/reissue', ids: ['2026-10', 'no-such-report'] },
  { method: 'GET', path: '/reports/:id.csv', ids: ['2026-10', '__proto__'] },
  { method: 'GET', path: '/reports/:id', ids: ['2026-10', '__proto__'] },
  { method: 'GET', path: '/reports/:id.pdf', ids: ['no-such-report', '__proto__'] },
  { method: 'GET', path: '/api/v1/alerts' },
  { method: 'GET', path: '/api/v1/alerts/:id', ids: ['1', '__proto__', '99999999999999999999'] },
  { method: 'POST', path: '/api/v1/alerts/:id/ack', ids: ['1', '0', '__proto__'] },
  { method: 'GET', path: '/alerts/:id', ids: ['1', '__proto__', '99999999999999999999'] },
  { method: 'GET', path: '/alerts/:id/ack', ids: ['1', 'constructor'] },
  { method: 'POST', path: '/alerts/:id/ack', ids: ['1', '__proto__'], takes: 'form' },
];
