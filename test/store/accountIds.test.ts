import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountIds } from '../../src/store/accounts.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { tempDir } from '../support/cli.js';

describe('AccountIds: account ids by ident, new accounts stored with what the source says of them', () => {
  it('stores the details with an account new to the case, says so, and leaves an account it already has as it is', () => {
    for (const emptyCase of [true, false]) {
      const db = openCaseDb(join(tempDir(), 'case.db'));
      if (!emptyCase) db.prepare("INSERT INTO accounts (rail, ident, holder) VALUES ('bank', 'DE89370400440532013000', 'Maria Müller')").run();
      // Look-up order differs in an empty case (INSERT first) and in one with accounts (SELECT first).
      const ids = new AccountIds(db);
      let asked = 0;
      const details = () => {
        asked++;
        return { holder: 'M. MUELLER', holderNorm: 'm mueller', bank: 'COBADEFFXXX' };
      };
      const own = ids.idOf({ rail: 'bank', ident: 'DE89370400440532013000' }, details);
      expect(ids.created).toBe(emptyCase);
      const other = ids.idOf({ rail: 'bank', ident: 'NL91ABNA0417164300' }, () => ({ holder: 'J. de Vries', holderNorm: 'j de vries', bank: null }));
      expect(ids.created).toBe(true);
      expect(ids.idOf({ rail: 'bank', ident: 'NL91ABNA0417164300' }, details)).toBe(other);
      expect(ids.created).toBe(false);
      expect(ids.idOf({ rail: 'bank', ident: 'acct:123' })).toBeGreaterThan(other);
      expect(ids.created).toBe(true);
      expect(asked).toBe(emptyCase ? 1 : 0);
      const row = (id: number): unknown => db.prepare('SELECT ident, holder, holder_norm, bank FROM accounts WHERE id = ?').get(id);
      expect(row(own)).toEqual(
        emptyCase
          ? { ident: 'DE89370400440532013000', holder: 'M. MUELLER', holder_norm: 'm mueller', bank: 'COBADEFFXXX' }
          : { ident: 'DE89370400440532013000', holder: 'Maria Müller', holder_norm: null, bank: null },
      );
      expect(row(other)).toEqual({ ident: 'NL91ABNA0417164300', holder: 'J. de Vries', holder_norm: 'j de vries', bank: null });
      db.close();
    }
  });
});
