import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';

/**
 * `--json` output of any size goes to a pipe as its reader takes it (src/cli/stdoutSync.ts):
 * Node's stream queued whatever the reader had not taken yet, so `hoptrace detect --json | gzip`
 * held the whole output in memory. A child prints 200,000 items through printJsonArray (the path
 * of `detect --json` and `findings --json`) while this test lets the pipe fill before reading it.
 */
const CONTEXT = fileURLToPath(new URL('../../src/cli/context.ts', import.meta.url));
const ITEMS = 200_000;
const item = (i: number): { i: number; pad: string } => ({ i, pad: 'x'.repeat(80) });

function printer(): string {
  const script = join(tempDir('stdout-sync'), 'print.ts');
  writeFileSync(
    script,
    `import { printJsonArray } from ${JSON.stringify(CONTEXT)};
// As src/cli/main.ts: a closed pipe ends the process (and stdout is now a non-blocking stream).
process.stdout.on('error', (error) => { if (error.code === 'EPIPE') process.exit(0); throw error; });
function* items() { for (let i = 0; i < ${ITEMS}; i++) yield { i, pad: 'x'.repeat(80) }; }
printJsonArray(items());
process.stderr.write('queued ' + process.stdout.writableLength + '\\n');
`,
  );
  return script;
}

function run(script: string, onStdout: (child: ReturnType<typeof spawn>) => void): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  onStdout(child);
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

describe('JSON on stdout', () => {
  it('is written as a slow reader takes it, nothing queued in memory, byte for byte what JSON.stringify gives', async () => {
    const chunks: Buffer[] = [];
    const done = await run(printer(), (child) => {
      // The reader starts late: the pipe fills and the printer must wait for it.
      setTimeout(() => child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk)), 500);
    });
    expect(done.status).toBe(0);
    expect(done.stderr).toBe('queued 0\n');
    const expected = `${JSON.stringify(
      Array.from({ length: ITEMS }, (_, i) => item(i)),
      null,
      2,
    )}\n`;
    expect(Buffer.concat(chunks).toString('utf8') === expected).toBe(true);
  });

  it('ends quietly with exit 0 when the reader goes away (| head)', async () => {
    const done = await run(printer(), (child) => {
      child.stdout!.once('data', () => child.stdout!.destroy());
    });
    expect(done).toEqual({ status: 0, stderr: '' });
  });
});
