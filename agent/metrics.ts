import { Counter, Gauge, type Registry } from 'prom-client';
import type { Agent } from './agent.js';
import type { Outbox } from './outbox.js';

/**
 * The agent's own series beside the probe series: what waits in the outbox, what was dropped to keep
 * it within its bounds (counted across restarts), and whether the server is reachable.
 */
export function registerAgentMetrics(registry: Registry, agent: Agent, outbox: Outbox): void {
  new Gauge({
    name: 'vantage_agent_outbox_depth',
    help: 'Results waiting in the outbox to be sent',
    registers: [registry],
    collect() {
      this.set(outbox.depth());
    },
  });
  new Gauge({
    name: 'vantage_agent_outbox_bytes',
    help: 'Bytes of the results waiting in the outbox',
    registers: [registry],
    collect() {
      this.set(outbox.bytes());
    },
  });
  new Gauge({
    name: 'vantage_agent_outbox_oldest_seconds',
    help: 'Age of the oldest result waiting in the outbox, in seconds (0 when empty)',
    registers: [registry],
    collect() {
      const oldest = outbox.oldestAt();
      this.set(oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
    },
  });
  let droppedSeen = 0;
  new Counter({
    name: 'vantage_agent_outbox_dropped_total',
    help: 'Results dropped from the outbox to keep within its age or size bound',
    registers: [registry],
    collect() {
      const dropped = outbox.dropped();
      if (dropped > droppedSeen) this.inc(dropped - droppedSeen);
      droppedSeen = dropped;
    },
  });
  let rejectedSeen = 0;
  new Counter({
    name: 'vantage_agent_results_rejected_total',
    help: 'Results the server refused for good (a check no longer assigned, say)',
    registers: [registry],
    collect() {
      const { rejected } = agent.status();
      if (rejected > rejectedSeen) this.inc(rejected - rejectedSeen);
      rejectedSeen = rejected;
    },
  });
  new Gauge({
    name: 'vantage_agent_connected',
    help: 'Whether the last exchange with the server succeeded (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(agent.status().connected ? 1 : 0);
    },
  });
}
