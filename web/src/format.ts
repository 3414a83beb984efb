const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const londonDay = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
});

/** An instant as staff read it: Europe/London. */
export function londonTime(at: string | number): string {
  return london.format(new Date(at));
}

export function londonDate(at: string | number): string {
  return londonDay.format(new Date(at));
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 1000
    ? `${(value / 1000).toFixed(2)} s`
    : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'no data';
  return `${(value * 100).toFixed(value >= 0.999 && value < 1 ? 3 : 2)}%`;
}

/** How long ago an instant was, in the largest whole unit: "3 minutes ago". */
export function ago(at: string | number, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - new Date(at).getTime()) / 1000));
  if (seconds < 60) return 'less than a minute ago';
  const [n, unit] =
    seconds < 3600
      ? [Math.floor(seconds / 60), 'minute']
      : seconds < 172_800
        ? [Math.floor(seconds / 3600), 'hour']
        : [Math.floor(seconds / 86_400), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** A whole number as staff read it: 5,000. */
export function count(value: number): string {
  return value.toLocaleString('en-GB');
}
