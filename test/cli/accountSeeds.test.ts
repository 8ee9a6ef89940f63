import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { hoptrace, tempDir } from '../support/cli.js';

let db: string;

beforeAll(() => {
  const dir = tempDir();
  expect(hoptrace(['demo', '--out', join(dir, 'demo'), '--no-timestamp']).status).toBe(0);
  db = join(dir, 'demo', 'case.db');
});

/** The trace's findings without the seed arguments, which the result repeats as given. */
const traced = (seed: string): Omit<TraceResult, 'params' | 'case'> | string => {
  const run = hoptrace(['--db', db, 'trace', seed, '--json']);
  if (run.status !== 0) return run.stderr;
  const { params: _params, case: _case, ...rest } = JSON.parse(run.stdout) as TraceResult;
  return rest;
};

// docs/design.md, "A SEED is …": an account seed is read as `account` and `transfers --account`
// read an account. A spaced IBAN and a rail prefix were refused as matching no transfer.
describe('account:IDENT seeds as people write accounts', () => {
  it('an IBAN with spaces, lower case or a bank: prefix names the same account', () => {
    const plain = traced('account:DE68500105174417320965');
    expect(typeof plain).toBe('object');
    for (const seed of [
      'account:DE68 5001 0517 4417 3209 65',
      'account:de68 5001 0517 4417 3209 65',
      'account:bank:DE68500105174417320965',
      'account:bank:DE68 5001 0517 4417 3209 65',
    ])
      expect(traced(seed), seed).toEqual(plain);
  });

  it('a rail prefix restricts the account to that rail', () => {
    expect(traced('account:tron:DE68500105174417320965')).toBe(
      'hoptrace: seed "account:tron:DE68500105174417320965" matches no transfer in the case file — check it with hoptrace info, or use transfer:ID\n',
    );
    const wallet = traced('account:0x090fA40851205443ebe9625eBc941Ad9cF93162C');
    expect(typeof wallet).toBe('object');
    expect(traced('account:ethereum:0x090fa40851205443ebe9625ebc941ad9cf93162c')).toEqual(wallet);
  });
});
