export interface Stats {
  median: number;
  min: number;
  max: number;
}

export interface Measurement {
  label: string;
  /** Omitted for figures reported for information only. */
  goalMs?: number;
}

const LABEL_WIDTH = 36;

/** Runs `once` the given number of times, one after another; each run returns its own time in ms. */
export async function repeat(runs: number, once: (run: number) => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push(await once(run));
  return samples;
}

/** Times an async step with performance.now(). */
export async function timed(step: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await step();
  return performance.now() - started;
}

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (index: number) => {
    const value = sorted[index];
    if (value === undefined) throw new Error('no samples to summarise');
    return value;
  };
  const median = sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
  return { median, min: at(0), max: at(sorted.length - 1) };
}

/** `label   median 612 ms  (min 590, max 640)   goal < 1000 ms  OK` */
export function formatRow(measurement: Measurement, summary: Stats): string {
  const { goalMs } = measurement;
  const goal =
    goalMs === undefined ? '(no goal)' : `goal < ${goalMs} ms  ${summary.median < goalMs ? 'OK' : 'MISSED'}`;
  return (
    `${measurement.label.padEnd(LABEL_WIDTH)} median ${ms(summary.median).padStart(5)} ms  ` +
    `(min ${ms(summary.min)}, max ${ms(summary.max)})`.padEnd(24) +
    `   ${goal}`
  );
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}
