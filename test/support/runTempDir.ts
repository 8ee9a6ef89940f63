import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temporary folder for the whole test run, removed when it ends: the tests make thousands of
 * case files, exports and PostgreSQL clusters in folders of their own under TMPDIR, and the CLI
 * runs they start make theirs there too. Set before the test workers start, TMPDIR is theirs and
 * their children's. HOPTRACE_KEEP_TEST_TMP=1 keeps it, to look at what a failing test left.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'hoptrace-tests-'));
  // As /tmp is: every user may make a folder in it (the PostgreSQL server runs as `postgres`).
  chmodSync(root, 0o1777);
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = root;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    if (process.env['HOPTRACE_KEEP_TEST_TMP'] === '1') process.stderr.write(`test files kept in ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  };
}
