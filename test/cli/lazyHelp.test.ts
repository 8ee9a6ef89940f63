import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runProcess, tempDir } from '../support/cli.js';

/**
 * Each command file declares its command and imports its handler (src/cli/run/) only when the
 * action runs, so `--help` does not load the handlers or the libraries they use (ethers, exceljs,
 * elkjs …). The modules the real CLI loads are recorded by a module resolve hook.
 */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const dir = tempDir('hoptrace-lazy-');
  const log = join(dir, 'loaded.txt');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(process.env.LOADED_LOG, result.url + '\\n');\n  return result;\n}\n",
  );
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n");
  const run = await runProcess(process.execPath, ['--import', join(dir, 'register.mjs'), BIN, ...args], { env: { ...process.env, LOADED_LOG: log } });
  expect(run.status, run.stderr).toBe(0);
  const urls = new Set(
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file:')),
  );
  return [...urls].map((url) => relative(ROOT, fileURLToPath(url))).sort();
}

describe('--help loads the declarations, not the commands', () => {
  it.for([['--help'], ['trace --help'], ['export --help']])('hoptrace %s', async ([args]) => {
    const loaded = await modulesLoadedBy(args!.split(' '));
    expect(loaded).toContain(join('dist', 'src', 'cli', 'commands', 'trace.js'));
    expect(loaded.filter((path) => path.startsWith(join('dist', 'src', 'cli', 'run')))).toEqual([]);
    expect(loaded.filter((path) => /node_modules[\\/](ethers|exceljs|elkjs|csv-parse|saxes|yaml|valibot)[\\/]/.test(path))).toEqual([]);
  });
});
