import { arch, cpus, platform, totalmem } from 'node:os';
import { benchAccess } from './access.bench.js';
import { benchAgents } from './agents.bench.js';
import { benchAlertStorm } from './alert-storm.bench.js';
import { benchAlerts } from './alerts.bench.js';
import { benchDashboard } from './dashboard.bench.js';
import { benchEstate } from './estate.bench.js';
import { benchLatency } from './latency.bench.js';
import { benchNotifications } from './notifications.bench.js';
import { benchOverview } from './overview.bench.js';
import { benchPrinciples } from './principles.bench.js';
import { benchProbes } from './probes.bench.js';
import { benchReports } from './reports.bench.js';
import { benchScale } from './scale.bench.js';
import { benchStorage } from './storage.bench.js';
import { benchSurvey } from './survey.bench.js';

interface Benchmark {
  /** What `npm run bench -- KEY …` names it by. */
  key: string;
  name: string;
  run: () => Promise<void>;
}

/** Add new benchmark modules here; they run in order, each printing its own table. */
const benchmarks: Benchmark[] = [
  { key: 'estate', name: 'Estate scale: 500 sites, 10,000 checks', run: benchEstate },
  { key: 'probes', name: 'Probes: timing accuracy and capacity', run: benchProbes },
  { key: 'storage', name: 'Storage: summaries from rollups at the scale of a year', run: benchStorage },
  { key: 'dashboard', name: 'Dashboard pages for 10,000 checks', run: benchDashboard },
  {
    key: 'scale',
    name: 'Scale: 10,000 checks a minute under vantage serve, restart, storage',
    run: benchScale,
  },
  {
    key: 'agents',
    name: 'Agents: ingestion from 200 agents, agent memory, draining a backlog',
    run: benchAgents,
  },
  { key: 'survey', name: 'Survey: submissions a second, results of 100,000 responses', run: benchSurvey },
  { key: 'access', name: 'Access: what authorisation adds to a request', run: benchAccess },
  {
    key: 'principles',
    name: 'Principles: compliance of 10,000 checks for a month and a year; timeline size',
    run: benchPrinciples,
  },
  { key: 'overview', name: 'Overview page of the 10,000-check estate', run: benchOverview },
  {
    key: 'reports',
    name: 'Reports: an annual report of the 10,000-check estate',
    run: benchReports,
  },
  {
    key: 'latency',
    name: 'Latency principles: a year of hourly rollups for a sample of the 10,000 checks, projected',
    run: benchLatency,
  },
  {
    key: 'alerts',
    name: 'Alerts: evaluation CPU per 10,000 runs; from the run that meets a rule to the message accepted',
    run: benchAlerts,
  },
  {
    key: 'notifications',
    name: 'Notifications: 1,000 queued while a receiver is down, drained when it returns',
    run: benchNotifications,
  },
  {
    key: 'alert-storm',
    name: 'Alert storm: 1,000 incidents at once under vantage serve, their channels down for the outage (BENCH_OUTAGE, default 5m)',
    run: benchAlertStorm,
  },
];

function printMachine(): void {
  const processors = cpus();
  const model = processors[0]?.model.trim() ?? 'unknown CPU';
  const memory = (totalmem() / 1024 ** 3).toFixed(1);
  console.log('Vantage benchmarks');
  console.log(
    `machine: ${processors.length} × ${model}, ${memory} GB RAM, ${platform()} ${arch()}, Node ${process.version}`,
  );
}

/**
 * Every benchmark, or those named (`npm run bench -- estate probes`). A missed goal is reported as
 * MISSED and is not a failure; a run that breaks or times out is.
 */
async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((key) => !benchmarks.some((benchmark) => benchmark.key === key));
  if (unknown.length > 0) {
    console.error(
      `no benchmark ${unknown.map((key) => `'${key}'`).join(', ')}; one of ${benchmarks.map((b) => b.key).join(', ')}`,
    );
    return 2;
  }
  printMachine();
  const failed: string[] = [];
  for (const benchmark of benchmarks.filter((b) => asked.length === 0 || asked.includes(b.key))) {
    console.log(`\n== ${benchmark.name}`);
    try {
      await benchmark.run();
    } catch (error) {
      failed.push(benchmark.name);
      console.error(`\nFAILED: ${benchmark.name}\n${(error as Error).stack ?? String(error)}`);
    }
  }
  if (failed.length > 0) console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
