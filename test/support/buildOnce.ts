import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Tests that run the real `bin/hoptrace` need dist/ to match the sources under test. tsc emits
 * even when a type check fails; the type check itself is `npm run typecheck` (run by .ci/run), so
 * a type error is reported here and does not hide the test results.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) process.stderr.write(`build of dist/ reported errors (tests continue):\n${result.stdout}${result.stderr}\n`);
}
