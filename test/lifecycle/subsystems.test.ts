import { describe, expect, it } from 'vitest';
import type { Estate } from '../../server/config/schema.js';
import { type Subsystem, Subsystems } from '../../server/lifecycle/subsystem.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const first = estateFrom(smallEstateYaml);
const second = estateFrom(smallEstateYaml.replace("St Anne's Hospital", "St Anne's University Hospital"));

/** A subsystem that writes down what it was asked to do, and can be told to refuse. */
function part(name: string, log: string[], refuse: { apply?: boolean; stop?: boolean } = {}): Subsystem {
  return {
    name,
    apply(estate: Estate) {
      if (refuse.apply && estate === second) throw new Error(`${name} refuses`);
      log.push(`${name} apply ${estate === first ? 'first' : 'second'}`);
    },
    start: () => {
      log.push(`${name} start`);
    },
    async stop() {
      log.push(`${name} stop`);
      if (refuse.stop) throw new Error(`${name} would not stop`);
    },
  };
}

describe('subsystems', () => {
  it('start in order, each given the estate first; take a new estate in order; stop in reverse', async () => {
    const log: string[] = [];
    const all = new Subsystems();
    for (const name of ['store', 'metrics', 'monitor']) await all.add(part(name, log), first);
    await all.apply(second);
    await all.stop();
    expect(log).toEqual([
      'store apply first',
      'store start',
      'metrics apply first',
      'metrics start',
      'monitor apply first',
      'monitor start',
      'store apply second',
      'metrics apply second',
      'monitor apply second',
      'monitor stop',
      'metrics stop',
      'store stop',
    ]);
  });

  it('keeps an estate the first refuses from the rest', async () => {
    const log: string[] = [];
    const all = new Subsystems();
    await all.add(part('store', log, { apply: true }), first);
    await all.add(part('monitor', log), first);
    await expect(all.apply(second)).rejects.toThrow('store refuses');
    expect(log.filter((line) => line.includes('second'))).toEqual([]);
  });

  it('stops every one even when one fails to stop, then says so', async () => {
    const log: string[] = [];
    const all = new Subsystems();
    await all.add(part('store', log), first);
    await all.add(part('monitor', log, { stop: true }), first);
    await all.add(part('http', log), first);
    await expect(all.stop()).rejects.toThrow('monitor would not stop');
    expect(log.slice(-3)).toEqual(['http stop', 'monitor stop', 'store stop']);
    // Stopped once: a second stop has nothing left to stop.
    await all.stop();
    expect(log.filter((line) => line.endsWith('stop'))).toHaveLength(3);
  });

  it('stops one that failed to start with the others', async () => {
    const log: string[] = [];
    const all = new Subsystems();
    await all.add(part('store', log), first);
    const broken = { ...part('monitor', log), start: () => Promise.reject(new Error('no start')) };
    await expect(all.add(broken, first)).rejects.toThrow('no start');
    await all.stop();
    expect(log.slice(-2)).toEqual(['monitor stop', 'store stop']);
  });
});
