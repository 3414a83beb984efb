const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([1-9][0-9]*)(ms|s|m|h|d)$/;

export type DurationText = `${number}${keyof typeof UNIT_MS}`;

/** Milliseconds for a duration such as `500ms`, `30s`, `5m`, `2h` or `1d`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const unit = match[2] as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}

/** Milliseconds for a duration already validated by the estate schema. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new RangeError(`not a duration: ${text}`);
  return ms;
}

/** The shortest way to write a number of milliseconds as a duration: 90000 is `90s`, 120000 `2m`. */
export function formatDuration(ms: number): DurationText {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
