import { describe, expect, it } from 'vitest';
import { measureProcessTree, parseStatTicks } from '../../bench/processTree.js';

// bin/hoptrace runs ingest, cluster, detect and export in a child Node: a bench that measured only
// the process it started reported the parent's 0.1 CPU-s and 43 MB for a whole export
// (docs/performance.md, "Export").
describe('a bench measure of a program and the processes it starts', () => {
  it("reads a process's own CPU ticks and its waited-for children's from /proc/PID/stat", () => {
    // A command name with a space and a closing parenthesis, as /proc prints it.
    const stat = '4242 (node (x) y) S 4241 4242 4241 0 -1 4194304 9170 0 0 0 1234 56 789 10 20 0 11 0 5830001 1160392704 34640';
    expect(parseStatTicks(stat)).toEqual({ own: 1234 + 56, reaped: 789 + 10 });
  });

  it("counts a grandchild's memory and CPU time, which its parent's own figures leave out", async () => {
    // The child starts a grandchild that fills 200 MiB and spins for 400 ms of its own CPU time, and waits for it.
    const grandchild =
      'const b = Buffer.alloc(200 * 1048576, 1); const t = process.cpuUsage(); while (process.cpuUsage(t).user + process.cpuUsage(t).system < 400000) b[0]++;';
    const child = `require('node:child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' });`;
    const run = await measureProcessTree(process.execPath, ['-e', child]);
    expect(run.code).toBe(0);
    expect(run.peakMb).toBeGreaterThanOrEqual(200);
    expect(run.cpuSeconds).toBeGreaterThanOrEqual(0.4);
  });
});
