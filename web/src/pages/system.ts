import { getJson } from '../api.js';
import { chartFigure } from '../charts.js';
import { h } from '../dom.js';
import { estateNames, organisationLink } from '../estate-names.js';
import { ms, percent } from '../format.js';
import { incidentsQuery, incidentsSection } from '../incident-shading.js';
import { unknownReason } from '../labels.js';
import { notesSection } from '../notes.js';
import { stateTag } from '../state-tags.js';
import { responsiveTable } from '../table.js';
import type {
  CheckVerdict,
  EstateView,
  IncidentView,
  MeResponse,
  SystemResponsibility,
  VantagePointState,
} from '../types.js';
import { type Names, problemText, verdictText } from '../verdict.js';

/** The state now, in words; unknown with its reason. */
function stateNow(vp: VantagePointState | null): Node | string {
  if (!vp) return '—';
  return vp.state === 'unknown'
    ? h('span', {}, stateTag('unknown'), ' ', unknownReason(vp))
    : stateTag(vp.state);
}

/** One check's section: the server's verdict, and its evidence as a chart and a table. */
function checkSection(
  verdict: CheckVerdict,
  answer: SystemResponsibility,
  names: Names,
  hostOf: (vp: string) => Node | string,
  alertAt: (checkId: string, vp: string) => string | undefined,
) {
  const { place } = names;
  const alertLink = (vp: string) => {
    const id = alertAt(verdict.checkId, vp);
    return id
      ? h('a', { href: `/alerts/${encodeURIComponent(id)}`, class: 'vantage-note' }, `Open alert ${id}`)
      : '';
  };
  const measured = verdict.vantagePoints.filter((vp) => vp.runs > 0);
  const table = responsiveTable(
    'By vantage point, last 24 hours',
    ['Vantage point', 'Host organisation', 'Now', 'Availability', 'p50', 'p95', 'Runs', 'Found'],
    verdict.vantagePoints.map((vp) => [
      h('span', {}, place(vp.vantagePoint), alertLink(vp.vantagePoint)),
      hostOf(vp.vantagePoint),
      stateNow(vp.now),
      vp.runs === 0 ? 'no data' : percent(vp.availability),
      ms(vp.p50),
      ms(vp.p95),
      vp.runs,
      problemText(vp, verdict, answer.thresholds),
    ]),
  );
  const title = `${verdict.name ?? verdict.checkId}: 95th percentile of the total time by vantage point, last 24 hours`;
  // With no runs anywhere there is nothing to chart, but the places it should run from still get rows.
  const figures =
    measured.length === 0
      ? verdict.vantagePoints.length > 0
        ? table
        : ''
      : chartFigure(
          title,
          {
            type: 'bar',
            data: {
              labels: measured.map(
                (vp) =>
                  `${place(vp.vantagePoint)}${vp.judged === 'silent' ? ' (no recent results)' : ''}${alertAt(verdict.checkId, vp.vantagePoint) ? ` (alert ${alertAt(verdict.checkId, vp.vantagePoint)})` : ''}`,
              ),
              datasets: [
                {
                  label: 'p95 total (ms)',
                  data: measured.map((vp) => vp.p95),
                  backgroundColor: measured.map((vp) =>
                    vp.judged !== 'compared' ? '#768692' : vp.problems.length > 0 ? '#d5281b' : '#005eb8',
                  ),
                },
              ],
            },
            options: { indexAxis: 'y', plugins: { legend: { display: false } } },
          },
          table,
        );
  return h(
    'section',
    { 'aria-labelledby': `check-${verdict.checkId}` },
    h(
      'h2',
      { id: `check-${verdict.checkId}` },
      h('a', { href: `/checks/${verdict.checkId}` }, verdict.name ?? verdict.checkId),
    ),
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': `verdict-${verdict.checkId}` },
      ...verdictText(verdict, answer.thresholds, names),
    ),
    figures,
  );
}

/** One system across every site it is checked from: worse everywhere, at some sites, or neither? */
export async function systemPage(main: HTMLElement, id: string, me: MeResponse | undefined): Promise<string> {
  // Asked for at once, but waited for only once the system is known to exist: its own error comes first.
  const pendingNotes = notesSection('system', id, me);
  pendingNotes.catch(() => undefined);
  const now = Date.now();
  const [estate, answer, alerts] = await Promise.all([
    getJson<EstateView>('/api/v1/estate'),
    getJson<SystemResponsibility>(`/api/v1/systems/${encodeURIComponent(id)}/responsibility?window=24h`),
    getJson<{ items: IncidentView[] }>(incidentsQuery('system', id, now - 30 * 86_400_000)),
  ]);
  const system = estate.systems.find((s) => s.id === id);
  if (!system) throw new Error(`no system with id '${id}'`);
  const notes = await pendingNotes;
  const orgName = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const site = new Map(estate.sites.map((s) => [s.id, s]));
  const names: Names = {
    place: (vp) => (vp === 'server' ? 'Vantage server' : (site.get(vp)?.name ?? vp)),
    organisation: (org) => (org === null ? '—' : (orgName.get(org) ?? org)),
    organisationLink: (org) => organisationLink(org, orgName.get(org) ?? org),
  };
  const hostOf = (vp: string) => {
    const host = site.get(vp)?.host;
    return host ? organisationLink(host, names.organisation(host)) : names.organisation(null);
  };
  const owner = names.organisation(system.owner);
  // The system's own incidents, and a site's that this system's checks are part of.
  const incidents = alerts.items;
  // Which open incident covers a (check, vantage point) now: its bar and row are marked with it.
  const alertAt = (checkId: string, vp: string) =>
    incidents.find(
      (i) =>
        i.state !== 'resolved' &&
        i.series.some((m) => m.checkId === checkId && m.vantagePoint === vp && m.leftAt === null),
    )?.id;

  main.replaceChildren(
    h('span', { class: 'nhsuk-caption-l' }, 'System'),
    h('h1', {}, system.name),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Owned by ',
      organisationLink(system.owner, owner),
      `${system.supplier ? `, supplied by ${system.supplier}` : ''}.`,
    ),
    answer.checks.length === 0 ? h('p', { class: 'nhsuk-body' }, 'No checks of this system yet.') : '',
    ...answer.checks.map((verdict) => checkSection(verdict, answer, names, hostOf, alertAt)),
    incidentsSection(incidents, estateNames(estate), 'this system', now, false),
    notes,
  );
  return system.name;
}
