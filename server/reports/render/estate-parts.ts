import type { ReportContent } from '../types.js';
import { figureText, londonTime, minutesText, nameOf, type ReportNames } from './format.js';
import { html, type Safe } from './html.js';
import { MOST_ROWS, statusBadge, table } from './parts.js';

/** Each organisation's scorecard: the principles it has a part in, and the minutes it answers for. */
export function organisationsPart(content: ReportContent): Safe {
  const principle = new Map(content.principles.map((p) => [p.id, p]));
  return html`<section class="part" aria-labelledby="organisations-title"><h2 id="organisations-title">Organisations</h2>${
    content.organisations.length === 0
      ? html`<p class="empty">No organisation has a part in any principle.</p>`
      : content.organisations.map((o) =>
          table(
            `${o.name}: scorecard`,
            ['Principle', 'Status', 'Figure', 'As owner', 'As host'],
            o.scorecard.map((s) => {
              const p = principle.get(s.principle);
              return [
                p?.title ?? s.principle,
                statusBadge(s.status),
                figureText(p?.unit ?? '', s.value),
                minutesText(s.owner),
                minutesText(s.host),
              ];
            }),
            'scorecard',
          ),
        )
  }</section>`;
}

const ROLE_WORDS = { owner: 'owner of the system', host: 'host of the site' } as const;

/** The outages and the planned maintenance inside the period, in the order they happened. */
export function periodPart(content: ReportContent, names: ReportNames): Safe {
  // A report may keep only the longest outages of a very large estate, and says how many there were.
  const total = (content as ReportContent & { outagesTotal?: number }).outagesTotal ?? content.outages.length;
  const longest = [...content.outages].sort((a, b) => b.minutes - a.minutes || a.from.localeCompare(b.from));
  const listed = longest.slice(0, MOST_ROWS);
  const caption =
    total > listed.length
      ? `The ${listed.length} longest of the ${total.toLocaleString('en-GB')} outages in the period${
          content.outages.length > listed.length
            ? ` (the CSV's outages table has the ${content.outages.length.toLocaleString('en-GB')} longest)`
            : ''
        }`
      : 'Outages in the period, longest first';
  return html`<section class="part" aria-labelledby="outages-title"><h2 id="outages-title">Outages</h2>${table(
    caption,
    ['Check', 'Site', 'System', 'From', 'To', 'Down', 'Who answers'],
    listed.map((o) => [
      html`<code class="id">${o.check}</code>`,
      nameOf(names.sites, o.site),
      nameOf(names.systems, o.system),
      londonTime(o.from),
      londonTime(o.to),
      minutesText(o.minutes),
      o.organisation === null
        ? 'nobody in the estate'
        : `${nameOf(names.organisations, o.organisation)}, ${ROLE_WORDS[o.role]}`,
    ]),
  )}</section>
<section class="part" aria-labelledby="maintenance-title"><h2 id="maintenance-title">Maintenance</h2>${table(
    'Planned maintenance in the period',
    ['Window', 'What it covers', 'From', 'To'],
    [...content.maintenance]
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((w) => [
        html`${w.title} <code class="id">${w.id}</code>`,
        w.scope,
        londonTime(w.from),
        londonTime(w.to),
      ]),
  )}</section>`;
}

/** How much of the period each vantage point was silent: time no figure could be made from. */
export function coveragePart(content: ReportContent): Safe {
  const silent = content.coverage.filter((c) => c.unknownMinutes > 0).length;
  return html`<section class="part" aria-labelledby="coverage-title"><h2 id="coverage-title">Agents' coverage</h2>
<p>Unknown time is time a vantage point sent no result: it is counted neither up nor down. ${
    content.coverage.length === 0
      ? 'No vantage point was expected to report.'
      : `${silent} of ${content.coverage.length} vantage points had unknown time.`
  }</p>${table(
    content.coverage.length > MOST_ROWS
      ? `Unknown time: the ${MOST_ROWS} vantage points with the most, of ${content.coverage.length.toLocaleString('en-GB')} (every one is in the CSV's coverage table)`
      : 'Unknown time by vantage point, most first',
    ['Vantage point', 'Unknown', 'Share of the period'],
    [...content.coverage]
      .sort((a, b) => b.unknownMinutes - a.unknownMinutes)
      .slice(0, MOST_ROWS)
      .map((c) => [
        html`${c.name} <code class="id">${c.site}</code>`,
        minutesText(c.unknownMinutes),
        `${c.share.toFixed(3)}%`,
      ]),
  )}</section>`;
}

/** For a year: each system's survey score against the campaign before and the principle's target. */
export function surveyPart(content: ReportContent, names: ReportNames): Safe {
  const survey = content.survey;
  if (!survey) return html``;
  const score = (v: number | null) =>
    v === null ? 'no score' : v.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  const change = (s: NonNullable<ReportContent['survey']>['systems'][number]) => {
    if (s.withheld) return 'withheld: too few responses to show';
    if (s.score === null || s.previous === null) return 'no comparison';
    const d = s.score - s.previous;
    if (Math.abs(d) < 1e-9) return 'unchanged';
    return `${d > 0 ? 'up' : 'down'} ${Math.abs(d).toLocaleString('en-GB', { maximumFractionDigits: 1 })}`;
  };
  return html`<section class="part" aria-labelledby="survey-title"><h2 id="survey-title">The survey against last year</h2>
<p>${
    survey.campaign
      ? `Campaign ${survey.campaign}${survey.previousCampaign ? `, against ${survey.previousCampaign}` : ', with no campaign before it to compare'}.`
      : 'No survey campaign was published in the period.'
  }</p>${table(
    'Each system: its score, last year’s and its target',
    ['System', 'Instrument', 'Score', 'Last year', 'Change', 'Target'],
    survey.systems.map((s) => [
      nameOf(names.systems, s.system),
      s.instrument,
      s.withheld ? 'withheld' : score(s.score),
      score(s.previous),
      change(s),
      s.target === null ? 'none' : `≥ ${s.target}`,
    ]),
  )}</section>`;
}
