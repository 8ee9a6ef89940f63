import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../support/cli.js';

/**
 * The README's walkthrough, run as a user would type it: the ```sh block under "A walkthrough",
 * line by line in bash (globs and `export` included), with `hoptrace` on the PATH, from a folder
 * where the clone's samples/ and adapters/ are at hand. What the README shows, a test runs.
 */
function walkthrough(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### A walkthrough');
  expect(start).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  expect(block).not.toBeNull();
  return block![1]!;
}

describe('the README walkthrough', () => {
  it('runs line by line on a fresh folder and ends with verify saying the case is sound', () => {
    const dir = tempDir('hoptrace-readme-');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const shim = join(bin, 'hoptrace');
    writeFileSync(shim, `#!/usr/bin/env bash\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(shim, 0o755);
    for (const name of ['samples', 'adapters']) symlinkSync(join(ROOT, name), join(dir, name));
    const script = `set -euo pipefail\n${walkthrough().replace(/\s+#.*$/gm, '')}`;
    const run = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOPTRACE_DB: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, run.stderr).toBe(0);
    // The last command is `hoptrace verify`: the case file and its log intact. The log holds one
    // entry per change: the case's creation, 11 imported files, cluster and detect.
    expect(run.stdout).toMatch(/^audit log: ok, 14 entries, head [0-9a-f]{64}$/m);
    expect(run.stdout).toContain('database integrity: ok; foreign-key violations: 0; transfers without a source: 0');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('# hoptrace evidence-chain report');
    expect(readFileSync(join(dir, 'requests', 'requests.csv'), 'utf8').split('\n')[0]).toBe('recipient,kind,rail,account,asset,amount,victims,evidence');
  });
});
