import type { AgentBeat } from '../store/agents.js';
import type { IncidentsWrite } from '../store/incidents.js';
import type { AlertSettings } from './config.js';
import { lookupOf } from './estate-lookup.js';
import type { Note, OpenIncidents, Scene } from './incidents.js';
import { sinceText } from './wording.js';

/**
 * An agent not heard from for the rule's time opens an incident for its site's host (the agent runs on
 * their network and machines); heard again, it resolves. Only agents that were once heard are looked
 * at: a site whose agent was never installed has nothing gone silent. Returns the silent sites, whose
 * checks are then unknown to the failures rule, never down.
 */
export function checkAgents(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: { scene: Scene; settings: AlertSettings; beats: readonly AgentBeat[] },
  notes: Note[],
): Set<string> {
  const { scene, settings } = input;
  const silent = new Set<string>();
  const rule = settings.agentSilent;
  const heard = new Map(input.beats.map((beat) => [beat.site, beat.at]));
  for (const [site, at] of heard) {
    if (scene.now - at > rule.afterMs && scene.estate.sites.some((s) => s.id === site)) silent.add(site);
  }
  for (const incident of [...open.byGrouping.values()]) {
    const [kind, site = ''] = incident.row.grouping.split(':');
    if (kind !== 'agent' || silent.has(site)) continue;
    open.resolve(tx, incident, heard.get(site) ?? scene.now, notes, { why: 'the agent was heard again' });
  }
  if (!rule.enabled) return silent;
  for (const siteId of silent) {
    const grouping = `agent:${siteId}`;
    if (open.byGrouping.has(grouping)) continue;
    const site = lookupOf(scene.estate).site(siteId);
    if (!site) continue;
    const lastHeard = heard.get(siteId) as number;
    open.open(
      tx,
      {
        title: `${site.name}: agent silent since ${sinceText(lastHeard, scene.now)}`,
        rule: 'agent-silent',
        grouping,
        severity: rule.severity,
        organisation: site.host,
        role: 'host',
        subject: { kind: 'site', id: site.id },
        startedAt: lastHeard,
        openedAt: scene.now,
        backlogReceivedAt: null,
        inMaintenance: false,
        evidence: { errorClasses: [], lastHeardAt: new Date(lastHeard).toISOString() },
      },
      [],
      scene,
      notes,
    );
  }
  return silent;
}
