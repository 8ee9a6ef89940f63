import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (CLK_TCK on Linux). */
const TICKS_PER_SECOND = 100;

export interface TreeMeasure {
  seconds: number;
  /** User + system CPU time of the process and every process under it. */
  cpuSeconds: number;
  /** The largest peak RSS (VmHWM) of any one of them. */
  peakMb: number;
  /** The program's exit status; -1 when a signal ended it. */
  code: number;
}

/** The process's children, from /proc (none once it has ended). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The process and its descendants. */
function processTree(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

/** Own CPU ticks (utime + stime) and those of the children it has waited for (cutime + cstime), from /proc/PID/stat. */
export function parseStatTicks(stat: string): { own: number; reaped: number } {
  // The fields after the command name, which may itself hold spaces and parentheses; the first is the state (field 3).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { own: Number(fields[11]) + Number(fields[12]), reaped: Number(fields[13]) + Number(fields[14]) };
}

/**
 * Runs the program under a small Node process that waits for it and then hands over its own
 * /proc/self/stat: its children's CPU time (cutime + cstime) is then the whole tree's, exactly,
 * since every process of it waits for its own children (bin/hoptrace waits for its child Node).
 */
const WAITER = `
const { spawnSync } = require('node:child_process');
const { readFileSync, writeSync } = require('node:fs');
const run = spawnSync(process.argv[1], process.argv.slice(2), { stdio: 'inherit' });
writeSync(3, readFileSync('/proc/self/stat', 'utf8'));
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);
`;

/**
 * Runs a program and measures it with everything it starts: bin/hoptrace runs some commands in a
 * child Node (ingest, cluster, detect, export), whose time and memory a measure of the first
 * process alone leaves out. CPU time from the waiting process's count of its children's; peak RSS
 * polled from /proc every 50 ms over the program and its descendants.
 */
export async function measureProcessTree(
  command: string,
  args: readonly string[],
  stdio: 'ignore' | 'inherit' | ['ignore', 'ignore' | 'inherit', 'ignore' | 'inherit'] = ['ignore', 'ignore', 'inherit'],
): Promise<TreeMeasure> {
  const started = Date.now();
  const [stdin, stdout, stderr] = typeof stdio === 'string' ? [stdio, stdio, stdio] : stdio;
  const waiter = spawn(process.execPath, ['-e', WAITER, command, ...args], { stdio: [stdin, stdout, stderr, 'pipe'] });
  let stat = '';
  waiter.stdio[3]!.on('data', (data: Buffer) => {
    stat += data.toString('utf8');
  });
  let peakKb = 0;
  const poll = (): void => {
    for (const pid of processTree(waiter.pid!)) {
      if (pid === waiter.pid) continue;
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // the process ended between listing and reading
      }
    }
  };
  const timer = setInterval(poll, 50);
  const code = await new Promise<number>((resolve) => waiter.on('close', (c) => resolve(c ?? -1)));
  clearInterval(timer);
  if (stat === '') throw new Error(`${command}: no CPU time came back from the process that waited for it`);
  return { seconds: (Date.now() - started) / 1000, cpuSeconds: parseStatTicks(stat).reaped / TICKS_PER_SECOND, peakMb: peakKb / 1024, code };
}
