import { arch, cpus, platform, totalmem } from 'node:os';
import { benchAgents } from './agents.bench.js';
import { benchDashboard } from './dashboard.bench.js';
import { benchEstate } from './estate.bench.js';
import { benchProbes } from './probes.bench.js';
import { benchScale } from './scale.bench.js';
import { benchStorage } from './storage.bench.js';
import { benchSurvey } from './survey.bench.js';

interface Benchmark {
  name: string;
  run: () => Promise<void>;
}

/** Add new benchmark modules here; they run in order, each printing its own table. */
const benchmarks: Benchmark[] = [
  { name: 'Estate scale: 500 sites, 10,000 checks', run: benchEstate },
  { name: 'Probes: timing accuracy and capacity', run: benchProbes },
  { name: 'Storage: summaries from rollups at the scale of a year', run: benchStorage },
  { name: 'Dashboard pages for 10,000 checks', run: benchDashboard },
  { name: 'Scale: 10,000 checks a minute under vantage serve, restart, storage', run: benchScale },
  { name: 'Agents: ingestion from 200 agents, agent memory, draining a backlog', run: benchAgents },
  { name: 'Survey: submissions a second, results of 100,000 responses', run: benchSurvey },
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

/** A missed goal is reported as MISSED and is not a failure; a run that breaks or times out is. */
async function main(): Promise<number> {
  printMachine();
  const failed: string[] = [];
  for (const benchmark of benchmarks) {
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
