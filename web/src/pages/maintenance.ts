import { ApiFailure, getJson, sendJson } from '../api.js';
import { h } from '../dom.js';
import { type EstateNames, estateNames } from '../estate-names.js';
import { londonTime } from '../format.js';
import { addWindowForm } from '../maintenance-form.js';
import { occurrencesList, scopeText } from '../maintenance-shading.js';
import { responsiveTable } from '../table.js';
import type { EstateView, MaintenanceResponse, MeResponse, WindowView } from '../types.js';
import { notForYou } from './not-for-you.js';

const DAY_MS = 86_400_000;

/** Where a window came from, and who added or ended it. */
function sourceText(w: WindowView): string {
  if (w.source === 'file') return 'estate file';
  const ended = w.endedAt ? `; ended early at ${londonTime(w.endedAt)} by ${w.endedBy ?? 'unknown'}` : '';
  return `added by ${w.createdBy ?? 'unknown'}${ended}`;
}

/**
 * Maintenance windows: those on now, those coming up in the next 7 days, those of the last 7; an ad hoc
 * window still to end can be ended by those who may (admins, and partners for what they answer for: the
 * server decides, and its refusal is shown).
 */
export async function maintenancePage(
  main: HTMLElement,
  _id: string,
  me: MeResponse | undefined,
): Promise<string> {
  const title = 'Maintenance';
  // Admins and partners may plan and end windows (partners on what they answer for: the server decides).
  const mayEnd = Boolean(me && (me.can.admin || me.role === 'partner'));
  let estate: EstateView;
  try {
    estate = await getJson<EstateView>('/api/v1/estate');
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403) return notForYou(main, title, error.message);
    throw error;
  }
  const names = estateNames(estate);

  const draw = async (problem?: string) => {
    const now = Date.now();
    const span = `from=${new Date(now - 7 * DAY_MS).toISOString()}&to=${new Date(now + 7 * DAY_MS).toISOString()}`;
    const answer = await getJson<MaintenanceResponse>(`/api/v1/maintenance?${span}`);
    const on = (w: WindowView) =>
      w.occurrences.some((o) => Date.parse(o.from) <= now && now < Date.parse(o.to));
    const current = answer.items.filter(on);
    // What is on now is not also coming up: only the occurrences after the one on now.
    const onUntil = new Map(
      current.map((w) => [
        w.id,
        Math.max(...w.occurrences.filter((o) => Date.parse(o.from) <= now).map((o) => Date.parse(o.to))),
      ]),
    );
    const upcoming = answer.upcoming.items
      .map((w) => ({
        ...w,
        occurrences: w.occurrences.filter((o) => Date.parse(o.from) >= (onUntil.get(w.id) ?? -Infinity)),
      }))
      .filter((w) => w.occurrences.length > 0);
    const recent = answer.items.filter((w) => !on(w) && w.occurrences.some((o) => Date.parse(o.to) <= now));
    const pastOnly = (w: WindowView) => ({
      ...w,
      occurrences: w.occurrences.filter((o) => Date.parse(o.to) <= now),
    });
    main.replaceChildren(
      h('h1', {}, title),
      h(
        'p',
        { class: 'nhsuk-lede-text' },
        'Planned work on systems, sites and checks. Time inside a window counts as maintenance, never as up or down, and runs still happen. Windows come from the estate file, or are added while running with ',
        h('code', {}, 'vantage maintenance add'),
        ' or the API.',
      ),
      problem
        ? h(
            'div',
            { class: 'nhsuk-error-summary', role: 'alert', tabindex: -1 },
            h('h2', { class: 'nhsuk-error-summary__title' }, 'The window could not be ended'),
            h('div', { class: 'nhsuk-error-summary__body' }, h('p', {}, problem)),
          )
        : '',
      h('h2', { id: 'now' }, 'In maintenance now'),
      windowsTable('Windows on now', current, names, mayEnd ? end : undefined, now, 'maintenance-now'),
      h('h2', { id: 'upcoming' }, 'Coming up in the next 7 days'),
      windowsTable(
        'Windows coming up',
        upcoming,
        names,
        mayEnd ? end : undefined,
        now,
        'maintenance-upcoming',
      ),
      h('h2', { id: 'recent' }, 'In the last 7 days'),
      windowsTable(
        'Windows of the last 7 days',
        recent.map(pastOnly),
        names,
        undefined,
        now,
        'maintenance-recent',
      ),
      ...(me && mayEnd
        ? [h('h2', { id: 'add' }, 'Add a window'), addWindowForm(me, estate, () => draw())]
        : []),
    );
  };

  const end = async (w: WindowView) => {
    try {
      await sendJson(me, 'POST', `/api/v1/maintenance/${encodeURIComponent(w.id)}/end`);
      await draw();
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return;
      await draw(error instanceof Error ? error.message : 'The window could not be ended.');
      main.querySelector<HTMLElement>('.nhsuk-error-summary')?.focus();
    }
  };

  await draw();
  return title;
}

function windowsTable(
  caption: string,
  windows: WindowView[],
  names: EstateNames,
  end: ((w: WindowView) => Promise<void>) | undefined,
  now: number,
  testId: string,
): HTMLElement {
  if (windows.length === 0) return h('p', { class: 'nhsuk-body', 'data-testid': testId }, 'None.');
  const endButton = (w: WindowView) => {
    if (!end || w.source !== 'ad-hoc' || w.endedAt || !w.end || Date.parse(w.end) <= now) return '';
    // The visible words begin the accessible name, which names the window.
    const button = h(
      'button',
      {
        class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small',
        type: 'button',
        'aria-label': `End now: ${w.title}`,
      },
      'End now',
    );
    button.addEventListener('click', () => void end(w));
    return button;
  };
  const table = responsiveTable(
    caption,
    // An action column only for those who may act.
    ['Window', 'When (London time)', 'Covers', 'Source', ...(end ? ['Action'] : [])],
    windows.map((w) => [
      w.title,
      occurrencesList(w),
      scopeText(w.scope, names),
      sourceText(w),
      ...(end ? [endButton(w)] : []),
    ]),
  );
  table.setAttribute('data-testid', testId);
  return table;
}
