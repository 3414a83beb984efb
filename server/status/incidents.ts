import type { StatusIncident, StatusPlace } from './types.js';

const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
});
const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short' });

/** "09:42" today (London), "23:10 on 2 Dec" another day. */
export function whenText(at: number, now: number): string {
  const time = clock.format(at);
  return day.format(at) === day.format(now) ? time : `${time} on ${day.format(at)}`;
}

const sinceText = (since: number | undefined, now: number) =>
  since === undefined ? '' : ` since ${whenText(since, now)}`;

const earliest = (list: (string | undefined)[]): number | undefined => {
  const times = list.filter((at): at is string => at !== undefined).map((at) => Date.parse(at));
  return times.length === 0 ? undefined : Math.min(...times);
};

/**
 * What is down now, in plain words, by the rule responsibility and the principles use: a system down
 * from at least half of the places whose state is known (up, slow or down) is one incident of the
 * system; otherwise each place that cannot reach it has its own, one line per place however many
 * systems it cannot reach (its link is the likely cause).
 */
export function incidents(places: StatusPlace[], now: number): StatusIncident[] {
  const systemNames = [...new Set(places.flatMap((place) => place.systems.map((cell) => cell.system)))];
  const out: StatusIncident[] = [];
  const systemWide = new Set<string>();
  for (const name of systemNames) {
    const seen = places.flatMap((place) =>
      place.systems.filter((c) => c.system === name).map((cell) => ({ place, cell })),
    );
    const known = seen.filter(
      ({ cell }) => cell.state === 'up' || cell.state === 'slow' || cell.state === 'down',
    );
    const down = known.filter(({ cell }) => cell.state === 'down');
    if (down.length === 0 || down.length * 2 < known.length) continue;
    systemWide.add(name);
    const since = earliest(down.map(({ cell }) => cell.since));
    const where =
      down.length === known.length
        ? known.length === 1
          ? `from ${placeName(down[0]?.place)}`
          : 'from any site'
        : `from ${down.length} of ${known.length} places (${down.map(({ place }) => placeName(place)).join(', ')})`;
    out.push({
      kind: 'system',
      text: `${name} is not responding ${where}${sinceText(since, now)}.`,
      since: since === undefined ? null : new Date(since).toISOString(),
      systems: [name],
      places: down.map(({ place }) => place.name),
    });
  }
  for (const place of places) {
    const down = place.systems.filter((cell) => cell.state === 'down' && !systemWide.has(cell.system));
    if (down.length === 0) continue;
    const since = earliest(down.map((cell) => cell.since));
    const what = down.length === 1 ? (down[0]?.system ?? '') : `${down.length} systems`;
    out.push({
      kind: 'site',
      text: `${capital(placeName(place))} cannot reach ${what}${sinceText(since, now)}.`,
      since: since === undefined ? null : new Date(since).toISOString(),
      systems: down.map((cell) => cell.system),
      places: [place.name],
    });
  }
  return out;
}

const placeName = (place: StatusPlace | undefined) => place?.name ?? '';
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
