/**
 * Reading pgbench's report. pgbench 14+ prints one `tps = … (without initial connection
 * time)` line; 13 and older print an "including" and an "excluding connections
 * establishing" line, of which the excluding one is the comparable figure.
 */

export interface PgbenchReport {
  tps: number;
  clients: number | undefined;
  threads: number | undefined;
  scale: number | undefined;
  transactions: number | undefined;
  failed: number | undefined;
  latencyMs: number | undefined;
}

const num = (text: string, re: RegExp): number | undefined => {
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
};

export function parsePgbench(output: string): PgbenchReport {
  const tpsLines = [...output.matchAll(/^tps = ([0-9.]+) \(([^)]*)\)/gm)];
  const preferred = tpsLines.find((m) => /without initial connection|excluding connections/.test(m[2]!)) ?? tpsLines[0];
  if (!preferred) throw new Error(`pgbench printed no tps line:\n${output.slice(-2000)}`);
  const tps = Number(preferred[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench tps is not a number: ${preferred[0]}`);
  return {
    tps,
    clients: num(output, /^number of clients: (\d+)/m),
    threads: num(output, /^number of threads: (\d+)/m),
    scale: num(output, /^scaling factor: (\d+)/m),
    transactions: num(output, /^number of transactions actually processed: (\d+)/m),
    failed: num(output, /^number of failed transactions: (\d+)/m),
    latencyMs: num(output, /^latency average = ([0-9.]+) ms/m),
  };
}
