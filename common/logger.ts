import { type Clock, systemClock } from './clock.js';
import type { Secret } from './env-references.js';
import { deepRedactor, redactor } from './redact.js';

export type Fields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

/**
 * One line per event: time, level, message, then key=value fields. Never given secrets. The time is
 * the injected clock's, so a log line and the run it tells of agree.
 */
export function streamLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  clock: Clock = systemClock,
): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Fields = {}) => {
      const extra = Object.entries(fields)
        .map(([key, value]) => `${key}=${formatValue(value)}`)
        .join(' ');
      write(`${new Date(clock.now()).toISOString()} ${level} ${message}${extra ? ` ${extra}` : ''}\n`);
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function formatValue(value: unknown): string {
  const text =
    value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text ?? '') ? JSON.stringify(text) : String(text);
}

/**
 * Writes through `inner` with every secret replaced by its reference, `${NAME}`, whatever code logs
 * it: an error that quotes a URL, say. `secrets` is asked on every line, so it may change (a reload).
 */
export function redactingLogger(inner: Logger, secrets: () => readonly Secret[]): Logger {
  let prepared:
    | { for: readonly Secret[]; text: (text: string) => string; fields: <T>(value: T) => T }
    | undefined;
  const redact = () => {
    const current = secrets();
    if (prepared?.for !== current) {
      prepared = { for: current, text: redactor(current), fields: deepRedactor(current) };
    }
    return prepared;
  };
  const level = (name: keyof Logger) => (message: string, fields?: Fields) => {
    const { text, fields: deep } = redact();
    inner[name](text(message), fields && deep(fields));
  };
  return { info: level('info'), warn: level('warn'), error: level('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
