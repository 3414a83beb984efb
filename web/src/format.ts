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
