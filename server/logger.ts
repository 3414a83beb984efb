export type Fields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

/** One line per event: time, level, message, then key=value fields. Never given secrets. */
export function streamLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Fields = {}) => {
      const extra = Object.entries(fields)
        .map(([key, value]) => `${key}=${formatValue(value)}`)
        .join(' ');
      write(`${new Date().toISOString()} ${level} ${message}${extra ? ` ${extra}` : ''}\n`);
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function formatValue(value: unknown): string {
  const text =
    value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text ?? '') ? JSON.stringify(text) : String(text);
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
