import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A run whose batches finish only when the test says so. */
function gated() {
  const seen: number[][] = [];
  const gates: (() => void)[] = [];
  const run = async (items: number[]) => {
    seen.push(items);
    await new Promise<void>((r) => gates.push(r));
    if (items.includes(13) && items.length > 1) throw new Error('a bad item spoils the batch');
    if (items.includes(13)) throw new Error('thirteen alone');
    return items.map((x) => x * 10);
  };
  return { seen, gates, run };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Batcher', () => {
  it('runs at once when idle and gathers whatever arrives while a batch runs', async () => {
    const g = gated();
    const b = new Batcher(g.run, { maxBatch: 3, lanes: 1 });
    const first = b.submit(1);
    await tick();
    expect(g.seen).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((x) => b.submit(x));
    await tick();
    expect(g.seen).toHaveLength(1); // the lane is busy: they wait, no timer
    g.gates.shift()!();
    await first;
    await tick();
    expect(g.seen[1]).toEqual([2, 3, 4]); // at most maxBatch
    g.gates.shift()!();
    await tick();
    await tick();
    expect(g.seen[2]).toEqual([5]);
    g.gates.shift()!();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(b.stats).toMatchObject({ batches: 3, items: 5, largest: 3 });
  });

  it('splits a failed batch so only the bad item fails', async () => {
    const g = gated();
    const b = new Batcher(g.run, { maxBatch: 10, lanes: 1 });
    const out = Promise.allSettled([12, 13, 14].map((x) => b.submit(x)));
    for (let i = 0; i < 4; i++) {
      await tick();
      g.gates.shift()?.();
      await tick();
    }
    const settled = await out;
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([120, 'thirteen alone', 140]);
    expect(g.seen).toEqual([[12, 13, 14], [12], [13], [14]]);
    expect(b.stats.split).toBe(1);
  });

  it('uses every lane before gathering', async () => {
    const g = gated();
    const b = new Batcher(g.run, { maxBatch: 10, lanes: 2 });
    const a = b.submit(1);
    await tick();
    const c = b.submit(2);
    await tick();
    expect(g.seen).toEqual([[1], [2]]);
    g.gates.forEach((open) => open());
    expect(await Promise.all([a, c])).toEqual([10, 20]);
  });
});
