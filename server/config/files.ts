import { caFileProblem } from '../../probes/ca-file.js';
import type { PathIssue } from './references.js';

/**
 * Files the estate names that this machine will read: each check's `ca`, read now so a missing or
 * unreadable file is the estate file's error, not a run that fails later. A check with `from` runs
 * at its sites' agents, which read the file on their own machines, so it is not looked for here.
 * And settings.smtp's `ca`, read when alert email is sent.
 */
export function fileIssues(raw: unknown): PathIssue[] {
  const checks = (raw as { checks?: unknown } | null)?.checks;
  const issues: PathIssue[] = [];
  (Array.isArray(checks) ? checks : []).forEach((check: unknown, index) => {
    if (typeof check !== 'object' || check === null) return;
    const { ca, from } = check as { ca?: unknown; from?: unknown };
    if (typeof ca !== 'string' || ca === '' || from !== undefined) return;
    const problem = caFileProblem(ca);
    if (problem) issues.push({ path: ['checks', index, 'ca'], message: problem });
  });
  const smtpCa = (raw as { settings?: { smtp?: { ca?: unknown } } } | null)?.settings?.smtp?.ca;
  if (typeof smtpCa === 'string' && smtpCa !== '') {
    const problem = caFileProblem(smtpCa);
    if (problem) issues.push({ path: ['settings', 'smtp', 'ca'], message: problem });
  }
  return issues;
}
