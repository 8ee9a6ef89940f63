import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childrenOf } from '../../bench/processTree.js';
import { childNodeEnv, childNodeFlags } from '../../src/cli/childNode.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { BIN, fixture, tempDir } from '../support/cli.js';

describe('the V8 flags of the child Node a command runs in', () => {
  it('caps a streaming command’s old generation at 160 MB and starts it at 64 MB', () => {
    expect(childNodeFlags('ingest', {})).toEqual(['--max-old-space-size=160', '--initial-old-space-size=64']);
    expect(childNodeFlags('fetch', {})).toEqual(['--max-old-space-size=160', '--initial-old-space-size=64']);
  });

  it('keeps the initial size within a cap set by HOPTRACE_STREAM_HEAP_MB, and runs uncapped in-process with 0', () => {
    expect(childNodeFlags('ingest', { HOPTRACE_STREAM_HEAP_MB: '400' })).toEqual(['--max-old-space-size=400', '--initial-old-space-size=64']);
    expect(childNodeFlags('ingest', { HOPTRACE_STREAM_HEAP_MB: '48' })).toEqual(['--max-old-space-size=48', '--initial-old-space-size=48']);
    expect(childNodeFlags('ingest', { HOPTRACE_STREAM_HEAP_MB: '0' })).toBeUndefined();
  });

  it('gives cluster and detect --expose-gc, export small semi-spaces, and runs the rest in-process', () => {
    expect(childNodeFlags('cluster', {})).toEqual(['--expose-gc']);
    expect(childNodeFlags('detect', {})).toEqual(['--expose-gc']);
    expect(childNodeFlags('export', {})).toEqual(['--max-semi-space-size=2']);
    for (const command of ['trace', 'report', 'case', undefined]) expect(childNodeFlags(command, {})).toBeUndefined();
  });

  it('are the ones bin/hoptrace starts `ingest` with', async () => {
    // The case is held by a writer, so the import waits to store its file and can be looked at.
    // (An input that is a pipe nobody writes is refused before it is opened: src/cli/inputFiles.ts.)
    const dir = tempDir();
    const path = join(dir, 'case.db');
    const holder = openCaseDb(path, { mode: 'create' });
    holder.exec('BEGIN IMMEDIATE');
    const file = fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv');
    const run = spawn(process.execPath, [BIN, '--db', path, 'ingest', 'usdt', file], { stdio: 'ignore' });
    try {
      while (childrenOf(run.pid!).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      // Past the fork, the child has replaced the parent's command line with its own (as in killedCommand.test.ts).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const children = childrenOf(run.pid!);
      const argv = readFileSync(`/proc/${children[0]!}/cmdline`, 'utf8').split('\0');
      expect(argv.filter((arg) => arg.includes('-space-size'))).toEqual(['--max-old-space-size=160', '--initial-old-space-size=64']);
    } finally {
      run.kill('SIGTERM');
      await once(run, 'exit');
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('fix glibc’s mmap threshold for cluster and detect only, keeping one the user set', () => {
    expect(childNodeEnv('cluster', {})).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(childNodeEnv('detect', {})).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(childNodeEnv('detect', { MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({});
    for (const command of ['ingest', 'fetch', 'export', 'trace', undefined]) expect(childNodeEnv(command, {})).toEqual({});
  });

  it('start `detect` with that threshold in its environment', async () => {
    // The case is held by a writer, so detect waits to store its findings and can be looked at.
    const dir = tempDir();
    const path = join(dir, 'case.db');
    const holder = openCaseDb(path, { mode: 'create' });
    holder.exec('BEGIN IMMEDIATE');
    const run = spawn(process.execPath, [BIN, '--db', path, 'detect'], { stdio: 'ignore', env: { ...process.env, MALLOC_MMAP_THRESHOLD_: undefined } });
    try {
      while (childrenOf(run.pid!).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const environ = readFileSync(`/proc/${childrenOf(run.pid!)[0]!}/environ`, 'utf8').split('\0');
      expect(environ.filter((entry) => entry.startsWith('MALLOC_'))).toEqual(['MALLOC_MMAP_THRESHOLD_=131072']);
    } finally {
      run.kill('SIGTERM');
      await once(run, 'exit');
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
