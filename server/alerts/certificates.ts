import type { RunRecord } from '../../runs/record.js';
import { earliestExpiry } from '../results/certificate-expiry.js';
import type { IncidentsWrite } from '../store/incidents.js';
import type { AlertSettings } from './config.js';
import { lookupOf } from './estate-lookup.js';
import type { Note, OpenIncidents, Scene } from './incidents.js';
import { sinceText } from './wording.js';

/** A check's latest word on its certificates: when the first of them expires, from which run. */
export interface CertificateFinding {
  run: RunRecord;
  expiresAt: number;
}

/** The latest run of each check that reported a certificate (runs in the order they started). */
export function certificateFindings(ordered: readonly RunRecord[]): Map<string, CertificateFinding> {
  const findings = new Map<string, CertificateFinding>();
  for (const run of ordered) {
    const expiresAt = earliestExpiry(run.details);
    if (expiresAt !== undefined) findings.set(run.checkId, { run, expiresAt });
  }
  return findings;
}

const DAY_MS = 86_400_000;

/**
 * A certificate a check was sent that expires within the rule's time opens one incident per check for
 * its system's owner (a certificate is the service's, wherever it is seen from); a later run sent one
 * that lasts longer resolves it.
 */
export function checkCertificates(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: { scene: Scene; settings: AlertSettings; findings: ReadonlyMap<string, CertificateFinding> },
  notes: Note[],
): void {
  const { scene, settings } = input;
  for (const [checkId, { run, expiresAt }] of input.findings) {
    const grouping = `certificate:${checkId}`;
    const soon = expiresAt - run.startedAt < settings.certificate.withinMs;
    const current = open.byGrouping.get(grouping);
    if (!soon && current) {
      open.resolve(tx, current, run.startedAt, notes, {
        why: 'a later run was sent a certificate that lasts longer',
        expiresAt: new Date(expiresAt).toISOString(),
      });
      continue;
    }
    const check = lookupOf(scene.estate).check(checkId);
    const system = check && lookupOf(scene.estate).system(check.system);
    if (!soon || current || !check || !system) continue;
    const days = Math.floor((expiresAt - run.startedAt) / DAY_MS);
    const when = sinceText(expiresAt, scene.now);
    const title =
      expiresAt <= run.startedAt
        ? `${system.name}: the certificate of ${check.name ?? check.id} expired on ${when}`
        : `${system.name}: the certificate of ${check.name ?? check.id} expires ${when} (in ${days} ${days === 1 ? 'day' : 'days'})`;
    open.open(
      tx,
      {
        title,
        rule: 'certificate-expiry',
        grouping,
        severity: settings.certificate.severity,
        organisation: system.owner,
        role: 'owner',
        subject: { kind: 'system', id: system.id },
        startedAt: run.startedAt,
        openedAt: scene.now,
        backlogReceivedAt: null,
        inMaintenance: false,
        evidence: { errorClasses: [], expiresAt: new Date(expiresAt).toISOString() },
      },
      [
        {
          checkId,
          vantagePoint: run.vantagePoint,
          fails: 0,
          oks: 0,
          failing: false,
          lastStartedAt: run.startedAt,
          streak: null,
        },
      ],
      scene,
      notes,
    );
  }
}
