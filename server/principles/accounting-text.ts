import { ACCOUNTING_VERSION } from '../../principles/accounting.js';

/** The rules every figure is made by, in plain words: printed with every figure. */
export const ACCOUNTING_TEXT = [
  `Accounting, version ${ACCOUNTING_VERSION}.`,
  "State over time: for each check at each vantage point (a site, or the central server), each run's state holds from its start until the next run, and at most one interval plus a tenth of it (at most 30 seconds more), so punctual runs leave no gaps. A run that was ok or degraded is up; a run that failed is down; skipped runs and failures of the probing machine itself are not down. Time no run covers is unknown: the vantage point was silent, and that is never counted against anyone.",
  'Maintenance: time inside a maintenance window that covers the check, its system, the site or a tag of any of them is maintenance, whatever the runs said.',
  "Hours: core hours are the settings' coreHours (by default Monday to Friday 08:00 to 18:30) in London time, across daylight-saving changes, less the listed bank holidays; 24x7 is all time. Only time within the principle's hours is counted.",
  'Availability = up / (up + down), in percent. Maintenance and unknown minutes are reported beside it, never in it. With no up or down time the status is no-data.',
  'Error budget: allowed = (1 − target) × (up + down); spent = down; left = allowed − spent. The burn is the down minutes within the hours over the last hour, 6 hours, day and 3 days of the period.',
  'Status: breached when availability is below the target; at-risk when it is met but the down minutes of the last day of the period, at the same rate over the wall-clock time the period has still to run (for a rolling window, one whole window), would spend more than is left; met otherwise.',
  "Attribution: a down moment is the system owner's when, at that moment, the check was down from at least half of the vantage points whose state was known (up or down; silent and maintenance vantage points count neither way); otherwise it is the host organisation's of the site that saw it (none for the central server).",
  'Scope: a principle covers each check at each vantage point that every part of its scope given matches: its systems, its sites, its organisations (the systems they own and the sites they host), its tags (of the check, its system or the site). The vantage points out of scope still count for attribution.',
  "Items: one per site and system, summing that system's checks at that site. A system, a site, an organisation (what it hosts and what it owns) and the principle as a whole sum the minutes of their items for their value and budget, and take the worst status of their items, so one breached site is never hidden in an average.",
].join('\n');
