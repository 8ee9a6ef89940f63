import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HoptraceError, withFile } from '../../src/model/errors.js';
import { ingestSource } from '../../src/ingest/ingestSource.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { fuzzIngest } from '../support/fuzz.js';

const CAMT = fixture('camt-genkgo', 'camt053.v2.all-balance-types.xml');
const SDN = fixture('ofac-sdn-digital-currency', 'sdn_advanced_subset', 'sdn_advanced.digital_currency_subset.xml');

/** A copy of `path` with `from` (which must occur once) replaced on its line. */
function edited(path: string, from: string, to: string): { path: string; line: number } {
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  const out = join(tempDir(), path.slice(path.lastIndexOf('/') + 1));
  writeFileSync(out, text.slice(0, at) + to + text.slice(at + from.length));
  return { path: out, line: text.slice(0, at).split('\n').length };
}

describe('only errors the user can act on are FILE:LINE errors', () => {
  it('&#x110000; in a camt statement names the file and line (no RangeError)', () => {
    const bad = edited(CAMT, '<Ustrd>Transaction Description</Ustrd>', '<Ustrd>Transaction &#x110000; Description</Ustrd>');
    const run = hoptrace(['--db', join(tempDir(), 'case.db'), 'ingest', 'bank', bad.path, '--quiet']);
    expect(run.stderr).toBe(`hoptrace: ${bad.path}:${bad.line}: XML: malformed character entity\n`);
    expect(run.status).toBe(1);
  });

  it('&#x110000; in an OFAC SDN XML address or name names the file and line (no RangeError)', () => {
    for (const [from, to] of [
      ['>TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz</VersionDetail>', '>TA3941uFAvmVibSkQ6fMJXxm&#x110000;</VersionDetail>'],
      ['>CHEIL CREDIT BANK</NamePartValue>', '>CHEIL &#1114112; BANK</NamePartValue>'],
    ] as const) {
      const bad = edited(SDN, from, to);
      const run = hoptrace(['--db', join(tempDir(), 'case.db'), 'ingest', 'tags', bad.path, '--quiet']);
      // saxes (adapters/common/xml.ts) names a reference to no character a malformed entity.
      expect(run.stderr).toBe(`hoptrace: ${bad.path}:${bad.line}: XML: malformed character entity\n`);
      expect(run.status).toBe(1);
    }
  });

  it('an OFAC list nested 5,000 deep is refused in one line (was a stack overflow hidden as a user error)', () => {
    const path = join(tempDir(), 'sanctioned_addresses_USDT.json');
    writeFileSync(path, '['.repeat(5000) + ']'.repeat(5000));
    const run = hoptrace(['--db', join(tempDir(), 'case.db'), 'ingest', 'tags', path, '--quiet']);
    expect(run.stderr).toBe(`hoptrace: ${path}: not an OFAC address list: an array is not a string\n`);
    expect(run.status).toBe(1);
  });

  it('withFile keeps a bug as it is, and names the file on input errors', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(withFile(bug, 'f.csv')).toBe(bug);
    const range = new RangeError('Maximum call stack size exceeded');
    expect(withFile(range, 'f.csv')).toBe(range);
    let syntax: unknown;
    try {
      JSON.parse('{"a": ');
    } catch (error) {
      syntax = error;
    }
    const wrapped = withFile(syntax, 'f.json');
    expect(wrapped).toBeInstanceOf(HoptraceError);
    expect((wrapped as HoptraceError).file).toBe('f.json');
    const missing = withFile(Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT', syscall: 'open' }), 'x');
    expect((missing as HoptraceError).describe()).toBe("x: ENOENT: no such file or directory, open 'x'");
  });
});

describe('the fuzz harness fails on an internal error and counts rejects', () => {
  const input = fixture('ofac-sdn-digital-currency', 'brave-intl_lists_2025-12-04', 'sanctioned_addresses_TRX.txt');

  it('an adapter with a bug (a TypeError on some inputs) fails the property', async () => {
    const outcome = fuzzIngest(
      input,
      (db, path) =>
        ingestSource({
          db,
          path,
          adapter: 'test:broken',
          options: '{}',
          skipBad: false,
          read: async function* () {
            const bytes = readFileSync(path);
            // A deliberate bug: a property read on undefined whenever the mutation made the file odd-sized.
            if (bytes.length % 2 === 1) (undefined as unknown as { x: { y: number } }).x.y;
            yield { kind: 'skipped', line: 1, reason: 'even' };
          },
        }),
      { runs: 40 },
    );
    const failure = (await outcome.then(
      () => undefined,
      (error: unknown) => error,
    )) as Error & { cause?: unknown };
    expect(failure.message).toMatch(/^Property failed after \d+ tests/);
    expect(failure.cause).toBeInstanceOf(TypeError);
    expect((failure.cause as Error).message).toBe("Cannot read properties of undefined (reading 'x')");
  });

  it('a reader that refuses bad input cleanly passes, and every refusal is counted', async () => {
    const outcome = await fuzzIngest(
      input,
      (db, path) =>
        ingestSource({
          db,
          path,
          adapter: 'test:strict',
          options: '{}',
          skipBad: false,
          read: async function* () {
            const bytes = readFileSync(path);
            if (bytes.length % 2 === 1) throw new HoptraceError('odd-sized file', { line: 1 });
            yield { kind: 'skipped', line: 1, reason: 'even' };
          },
        }),
      { runs: 40 },
    );
    expect(outcome.imported + outcome.rejected).toBe(40);
    expect(outcome.rejected).toBeGreaterThan(0);
    expect(outcome.imported).toBeGreaterThan(0);
  });
});
