import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, tempDir } from '../support/cli.js';

/**
 * A source path is recorded as it was given to `ingest`, relative to the folder the import ran in
 * (docs/case-file.md, "verify"). Run from another folder, verify also looks beside the case file,
 * and clears a file there only by its hash.
 */
describe('verify of sources recorded by a relative path, run from another folder', () => {
  it('finds them beside the case file by their hash; one changed there is still reported changed', () => {
    const folder = tempDir();
    const file = 'transfers.csv';
    copyFileSync(fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv'), join(folder, file));
    const ingest = hoptrace(['--db', 'case.db', 'ingest', 'usdt', file, '--quiet'], { cwd: folder });
    expect(ingest.status, ingest.stderr).toBe(0);
    const elsewhere = join(tempDir(), 'elsewhere');
    mkdirSync(elsewhere);
    const run = hoptrace(['--db', join(folder, 'case.db'), 'verify'], { cwd: elsewhere });
    // Before: "missing    transfers.csv", exit 3.
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^ok +transfers\\.csv [0-9a-f]{64} \\(found at ${join(folder, file).replace(/[.]/g, '\\.')}, beside the case file\\)$`, 'm'),
    );
    // A file of that name beside the case but with other bytes is not the source.
    writeFileSync(join(folder, file), 'altered\n');
    const altered = hoptrace(['--db', join(folder, 'case.db'), 'verify'], { cwd: elsewhere });
    expect(altered.status).toBe(3);
    expect(altered.stdout).toMatch(/^changed +transfers\.csv \(recorded [0-9a-f]{64}, now [0-9a-f]{64}\) \(found at .*, beside the case file\)$/m);
  });
});
