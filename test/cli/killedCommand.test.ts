import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childrenOf } from '../../bench/processTree.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { BIN, fixture, tempDir } from '../support/cli.js';

/**
 * Runs hoptrace with ARGS until bin/hoptrace has started the child Node it runs the command in
 * (bin/hoptrace: ingest, fetch, cluster, detect and export), which then waits (on a FIFO nobody
 * writes, on a case another process writes); sends SIGNAL to bin/hoptrace, as Ctrl-C or `kill` does, and returns how it ended.
 */
async function killedWhileWaiting(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const run = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  while (childrenOf(run.pid!).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  // Give the child the time to load and block (on the FIFO, on the case) (a signal before that kills it as well).
  await new Promise((resolve) => setTimeout(resolve, 300));
  run.kill(signal);
  const [code, ended] = (await once(run, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal: ended };
}

// A command killed by a signal must not look like one that succeeded to a shell or a script: its
// output (a half-written graph file) or its import (rolled back) is not there (docs/cli.md, exit codes).
describe('a command run in a child Node and killed', () => {
  it('export dies of SIGTERM, as the child it passed the signal to, instead of exiting 0', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    openCaseDb(db).close();
    // The export writes its file beside the path and puts it in place when whole, so it is made to
    // wait on the trace it reads instead.
    const trace = join(dir, 'trace.json');
    execFileSync('mkfifo', [trace]);
    const out = join(dir, 'case.graphml');
    expect(await killedWhileWaiting(['--db', db, 'export', '--format', 'graphml', '--trace', trace, '--out', out], 'SIGTERM')).toEqual({
      code: null,
      signal: 'SIGTERM',
    });
  });

  it('ingest dies of SIGINT (Ctrl-C) instead of exiting 0', async () => {
    // It waits for the case, which a writer holds (an input that is a pipe is refused before it is opened).
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const holder = openCaseDb(db, { mode: 'create' });
    holder.exec('BEGIN IMMEDIATE');
    try {
      const file = fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv');
      expect(await killedWhileWaiting(['--db', db, 'ingest', 'usdt', file], 'SIGINT')).toEqual({ code: null, signal: 'SIGINT' });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
