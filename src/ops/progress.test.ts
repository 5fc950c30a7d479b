/** The progress renderer: a bar redrawn in place on a terminal, plain lines every few seconds otherwise. */
import { describe, expect, it } from 'vitest';
import { duration, Progress } from './progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 100, write: (c: string) => chunks.push(c) } };
}

describe('Progress', () => {
  it('draws a bar with the count, rate and ETA in place on a terminal, and ends the line when done', () => {
    let now = 0;
    const { chunks, out } = sink(true);
    const p = new Progress(out, { label: 'accounts', total: 200_000, doneBefore: 50_000, now: () => now });
    now = 10_000;
    p.update(80_000); // 30,000 in 10 s since this process began
    expect(chunks.at(-1)).toMatch(/^\r\[#+-+\] accounts 80,000\/200,000 40% · 3,000\/s · ETA 40s\x1b\[K$/);
    expect(chunks.at(-1)!.match(/#/g)!.length).toBe(Math.round(0.4 * (chunks.at(-1)!.indexOf(']') - 2)));
    now = 50_000;
    p.finish(200_000);
    expect(chunks.slice(-2)).toEqual([expect.stringMatching(/^\r\[#+\] accounts 200,000\/200,000 100% · 3,000\/s · ETA 0s/), '\n']);
  });

  it('writes plain lines at most every 5 s without a terminal, and always the last', () => {
    let now = 0;
    const { chunks, out } = sink(false);
    const p = new Progress(out, { label: 'accounts', total: 1_000, doneBefore: 0, now: () => now });
    for (let done = 100; done <= 900; done += 100) {
      now += 1_000;
      p.update(done);
    }
    p.finish(1_000);
    expect(chunks).toEqual([
      'accounts 100/1,000 10% · 100/s · ETA 9s\n',
      'accounts 600/1,000 60% · 100/s · ETA 4s\n',
      'accounts 1,000/1,000 100% · 111/s · ETA 0s\n',
    ]);
    expect(chunks.join('')).not.toMatch(/\r|\x1b/);
    p.update(1_000); // a last update already printed is not printed again by finish
    now += 10_000;
    p.update(1_000);
    p.finish(1_000);
    expect(chunks.filter((c) => c.startsWith('accounts 1,000/1,000'))).toHaveLength(2);
  });

  it('says durations as a person would', () => {
    expect([duration(59), duration(61), duration(3_725), duration(Infinity)]).toEqual(['59s', '1m01s', '1h02m', '?']);
  });
});
