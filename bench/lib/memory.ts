/**
 * Memory of the soak's processes, read from /proc (Linux): Konpay's and the load
 * generator's resident set (VmRSS), and PostgreSQL's as the proportional set size (Pss)
 * summed over the postmaster and its children. VmRSS summed over PostgreSQL's processes
 * would count the shared buffers once per backend that touched them; Pss splits each
 * shared page among the processes mapping it, so the sum counts it once.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import type pg from 'pg';

/** A /proc file, or undefined when the process has exited since it was listed. */
function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw err;
  }
}

/** A `Name:   123 kB` line of /proc/<pid>/status or smaps_rollup, in MB. */
function kbField(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!m) throw new Error(`no ${name} line in /proc`);
  return Number(m[1]) / 1024;
}

export function rssMb(pid: number): number {
  const status = readProc(`/proc/${pid}/status`);
  if (status === undefined) throw new Error(`process ${pid} has exited`);
  return kbField(status, 'VmRSS');
}

/**
 * Throws unless `pid` is this Node binary running `script`: the RSS of a wrapper (npm, a
 * shell, tsx's launcher) would say nothing about the memory of the program measured.
 */
export function assertNodeRunning(pid: number, script: string): void {
  const exe = realpathSync(`/proc/${pid}/exe`);
  const argv = (readProc(`/proc/${pid}/cmdline`) ?? '').split('\0');
  if (exe !== realpathSync(process.execPath) || !argv.some((a) => a.endsWith(script))) {
    throw new Error(`pid ${pid} is ${exe} ${argv.join(' ')}, not node running ${script}`);
  }
}

function parentOf(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
  return stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * The postmaster's pid: the parent of this pool's backend. Undefined when the server is
 * not a process of this machine (DATABASE_URL elsewhere, or in a container).
 */
export async function postmasterOf(pool: pg.Pool): Promise<number | undefined> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const backend = rows[0]!.pid;
  if (readProc(`/proc/${backend}/comm`)?.trim() !== 'postgres') return undefined;
  const postmaster = parentOf(backend);
  return postmaster && readProc(`/proc/${postmaster}/comm`)?.trim() === 'postgres' ? postmaster : undefined;
}

/** Pss of the postmaster and its children (backends, autovacuum, WAL writer…), in MB. */
export function postgresPssMb(postmaster: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid !== postmaster && parentOf(pid) !== postmaster) continue;
    const rollup = readProc(`/proc/${pid}/smaps_rollup`);
    if (rollup !== undefined) total += kbField(rollup, 'Pss');
  }
  return total;
}
