import type { RunRecord } from '../../runs/record.js';
import { estateFrom } from './estates.js';

/** 10:30 on Tuesday 24 November 2026: London is on UTC, so 09:42Z reads as 09:42. */
export const statusNow = Date.UTC(2026, 10, 24, 10, 30);
const MINUTE = 60_000;

/**
 * Three sites and five systems whose states now are known by hand: the EPR down everywhere (from 09:42
 * at St Anne's and Oak View, 09:45 at Marsh Lane); Marsh Lane alone cannot reach email (09:50) or the
 * PACS viewer (10:05), which is slow at St Anne's; the rota fails at Oak View inside its planned
 * upgrade; the network check from the server has never run.
 */
export const statusEstateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: oak-view, name: Oak View Surgery, host: eastfield, tags: [primary-care] }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
  - { id: mail, name: Email, owner: riverside }
  - { id: pacs, name: PACS image viewer, owner: riverside }
  - { id: rostering, name: Staff rota, owner: eastfield }
  - { id: net, name: Network core, owner: riverside }
checks:
  - { id: epr-login, system: epr, type: http, target: "https://epr.example.org/login", every: 1m, from: [st-annes, marsh-lane, oak-view] }
  - { id: mail-owa, system: mail, type: http, target: "https://owa.mail-host.example.net/owa", every: 1m, from: [st-annes, marsh-lane, oak-view] }
  - { id: pacs-view, system: pacs, type: http, target: "http://10.20.30.40:8080/viewer", every: 1m, from: [st-annes, marsh-lane, oak-view], expect: { degradedMs: 2000 } }
  - { id: rota-web, system: rostering, type: http, target: "https://rota.internal.example.com/", every: 1m, from: [oak-view] }
  - { id: core-switch, system: net, type: http, target: "http://core-switch.lan.example/health", every: 1m }
maintenance:
  - { id: rota-upgrade, title: Rota upgrade, start: "2026-11-24T10:00", end: "2026-11-24T11:00", scope: { systems: [rostering] } }
  - { id: mail-patching, title: Email server patching, start: "2026-11-28T06:00", end: "2026-11-28T08:00", scope: { checks: [mail-owa] } }
  - { id: gp-network, title: Surgery network works, start: "2026-11-26T19:00", end: "2026-11-26T21:00", scope: { tags: [primary-care] } }
  - { id: old-work, title: Finished work, start: "2026-11-20T19:00", end: "2026-11-20T21:00", scope: { systems: [epr] } }
  - { id: far-work, title: Work next month, start: "2026-12-09T19:00", end: "2026-12-09T21:00", scope: { systems: [epr] } }
`;

export const statusEstate = () => estateFrom(statusEstateYaml);

/** Everything a public status page must not show: targets, hosts, errors and ids. */
export const secretsOfStatusEstate = [
  'https://epr.example.org/login',
  'epr.example.org',
  'owa.mail-host.example.net',
  '10.20.30.40',
  'rota.internal.example.com',
  'core-switch.lan.example',
  'connection reset',
  'epr-login',
  'mail-owa',
  'pacs-view',
  'rota-web',
  'core-switch',
  'st-annes',
  'marsh-lane',
  'oak-view',
  'rostering',
  'riverside',
  'eastfield',
  'rota-upgrade',
  'mail-patching',
];

const phases = (totalMs: number) => ({
  dnsMs: 2,
  connectMs: 4,
  tlsMs: 10,
  ttfbMs: totalMs - 20,
  transferMs: 4,
  totalMs,
});

/** Every minute from 09:00 to 10:29: up (or slow) until each failure's start, then failing. */
export function statusRuns(): RunRecord[] {
  const failFrom: Record<string, Record<string, string>> = {
    'epr-login': { 'st-annes': '09:42', 'oak-view': '09:42', 'marsh-lane': '09:45' },
    'mail-owa': { 'marsh-lane': '09:50' },
    'pacs-view': { 'marsh-lane': '10:05' },
    'rota-web': { 'oak-view': '10:00' },
  };
  const sites: Record<string, string[]> = {
    'epr-login': ['st-annes', 'marsh-lane', 'oak-view'],
    'mail-owa': ['st-annes', 'marsh-lane', 'oak-view'],
    'pacs-view': ['st-annes', 'marsh-lane', 'oak-view'],
    'rota-web': ['oak-view'],
  };
  const runs: RunRecord[] = [];
  for (let at = statusNow - 90 * MINUTE; at < statusNow; at += MINUTE) {
    const clock = new Date(at).toISOString().slice(11, 16);
    for (const [checkId, list] of Object.entries(sites)) {
      for (const site of list) {
        const from = failFrom[checkId]?.[site];
        const slow = checkId === 'pacs-view' && site === 'st-annes';
        runs.push(
          from !== undefined && clock >= from
            ? {
                checkId,
                vantagePoint: site,
                startedAt: at,
                state: 'fail',
                phases: {
                  dnsMs: 2,
                  connectMs: null,
                  tlsMs: null,
                  ttfbMs: null,
                  transferMs: null,
                  totalMs: 6,
                },
                error: { class: 'reset', message: 'connection reset' },
              }
            : {
                checkId,
                vantagePoint: site,
                startedAt: at,
                state: slow ? 'degraded' : 'ok',
                phases: phases(slow ? 3_000 : 140),
                status: 200,
              },
        );
      }
    }
  }
  return runs;
}
