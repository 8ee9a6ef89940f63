import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Tests that run the real `bin/hoptrace` need dist/ to match the sources under test. */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
