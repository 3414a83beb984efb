import { type Period, PeriodError, parsePeriod } from '../principles/period.js';
import type { ReportKind } from './types.js';

/** A report request that cannot be met: `code` as the API's errors carry it. */
export class ReportError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export const REPORT_KINDS: readonly ReportKind[] = ['month', 'quarter', 'year'];

const FORMS: Record<ReportKind, { pattern: RegExp; example: string }> = {
  month: { pattern: /^\d{4}-(0[1-9]|1[0-2])$/, example: '2026-11' },
  quarter: { pattern: /^\d{4}-Q[1-4]$/, example: '2026-Q4' },
  year: { pattern: /^\d{4}$/, example: '2026' },
};

export const isReportKind = (kind: string): kind is ReportKind => (REPORT_KINDS as string[]).includes(kind);

/**
 * A report's period read and checked: its text fits the kind, and the period is over (a frozen report
 * of a month still running would be out of date the moment it was made).
 */
export function reportPeriod(kind: string, text: string, now: number): Period {
  if (!isReportKind(kind))
    throw new ReportError('invalid', `kind '${kind}' is not a report kind: give month, quarter or year`);
  const form = FORMS[kind];
  if (!form.pattern.test(text))
    throw new ReportError('invalid', `period '${text}' is not a ${kind}: give one such as ${form.example}`);
  let period: Period;
  try {
    period = parsePeriod(text, now);
  } catch (error) {
    if (error instanceof PeriodError) throw new ReportError('invalid', error.message);
    throw error;
  }
  if (period.end > now)
    throw new ReportError(
      'invalid',
      `period '${text}' has not ended yet: a report is made once its ${kind} is over (it ends ${new Date(period.end).toISOString()})`,
    );
  return period;
}

/** The period before one: the month, quarter or year before it. */
export function previousPeriod(kind: ReportKind, text: string): string {
  const year = Number(text.slice(0, 4));
  if (kind === 'year') return String(year - 1);
  if (kind === 'quarter') {
    const q = Number(text.slice(6));
    return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
  }
  const month = Number(text.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** A version's id: the period for the first, then `-v2`, `-v3`… */
export const reportId = (period: string, version: number): string =>
  version === 1 ? period : `${period}-v${version}`;
