import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterCase, type ClusterCaseResult } from '../../src/cluster/clusterCase.js';
import { detectCase } from '../../src/detect/detectCase.js';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { selectFindings, type StoredFinding } from '../../src/store/findings.js';
import { fixture, tempDir } from '../support/cli.js';

/**
 * Real flows: the 10,827 TRC-20 transfers of the 40 Tron wallets named in Israeli NBCTF seizure
 * orders (test/fixtures/tron-aso-nbctf-hfuhruhurr), with TronScan's labels of 32 exchange hot
 * wallets as tags. Before: 145 cycle findings, 117 of them through exchange hot wallets, some of
 * them two 0.000000 USDT transfers; 15 deposit and 4 sweep merges joining two seizure orders' wallets.
 */
const DIR = fixture('tron-aso-nbctf-hfuhruhurr');
let db: Db;
let findings: StoredFinding[];
let clusters: ClusterCaseResult;
const of = (typology: string): StoredFinding[] => findings.filter((f) => f.typology === typology);
const throughExchange = (f: StoredFinding): boolean => f.accounts.some((a) => a.tags.some((t) => t.category === 'exchange'));

beforeAll(async () => {
  db = openCaseDb(join(tempDir(), 'nbctf.db'));
  await ingestUsdtFiles(db, [join(DIR, 'trc20_xfers.part1.csv'), join(DIR, 'trc20_xfers.part2.csv')]);
  detectCase(db);
  findings = selectFindings(db);
  clusters = await clusterCase(db);
}, 60_000);

describe('detect and cluster on the seizure-order wallets (real TronScan data)', () => {
  it('finds no cycle, fan or pass-through through an exchange hot wallet', () => {
    expect(db.prepare("SELECT COUNT(DISTINCT account_id) FROM tags WHERE category = 'exchange'").pluck().get()).toBe(32n);
    // 145 before, 117 of them through exchanges and some of two zero-value transfers.
    expect(of('cycle').length).toBe(25);
    for (const typology of ['cycle', 'pass-through'])
      expect(
        of(typology)
          .filter(throughExchange)
          .map((f) => f.accounts.map((a) => a.ident)),
      ).toEqual([]);
    // A fan's hub is never an exchange (its counterparties are not either).
    expect([...of('fan-in'), ...of('fan-out')].filter(throughExchange)).toEqual([]);
  });

  it('counts no zero-value transfer in any finding but address poisoning', () => {
    const zero = new Set(db.prepare('SELECT ref FROM transfers WHERE amount = 0').pluck().all() as string[]);
    expect(zero.size).toBe(163);
    expect(
      findings.filter((f) => f.typology !== 'address-poisoning' && f.typology !== 'sweep' && f.evidence.some((ref) => zero.has(ref))).map((f) => f.typology),
    ).toEqual([]);
  });

  it("reports the lookalike that imitated a seizure-order wallet's counterparty", () => {
    expect(of('address-poisoning').map((f) => [f.accounts.map((a) => a.ident), f.score, f.evidence.length])).toEqual([
      // TV6MunL6… imitates TV6MuMXf… (TV6Mu…miuSi: 4 leading and 5 trailing characters) towards TRkrud…
      [['TRkrud54UMLhidM3SdwbEeneTyi42UEcUP', 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'TV6MunL6TQyH8VkybSUNbnhrQ6PobmiuSi'], 0.9, 2],
    ]);
  });

  it('merges only through a real deposit-address shape, and never a round trip', () => {
    // Before: 15 deposit merges (9 through TGfH7imv…, which held its balance for weeks; 5 through
    // TMYPgVHM…, fed 79 % by exchange withdrawals) and 4 sweep round trips. Now one merge remains.
    expect(clusters.merges.map((m) => [m.heuristic, m.a, m.b])).toEqual([
      ['deposit', 'tron:TPxCncCWLUtRm2ga6NMrPKfumKuQ3zoWXR', 'tron:TQ6grwwDpscjHoV4NChT5GtL6SBskxwqiw'],
    ]);
  });
});
