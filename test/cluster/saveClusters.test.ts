import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Proposals } from '../../src/cluster/proposals.js';
import { DEFAULT_CLUSTER_PARAMS } from '../../src/cluster/types.js';
import { HoptraceError } from '../../src/model/errors.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { saveClusters } from '../../src/store/clusters.js';
import { tempDir } from '../support/cli.js';
import { recordPragmaSets } from '../support/pragmaSets.js';

describe('saveClusters', () => {
  it('stores every member and every merge in order, across and within the statements rows are sent in', () => {
    const db = openCaseDb(join(tempDir('hoptrace-save-clusters-'), 'case.db'));
    const account = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
    db.transaction(() => {
      for (let id = 1; id <= 1203; id++) account.run(id, `T${id}`);
    })();
    const merges = new Proposals();
    for (let b = 2; b <= 1201; b++) merges.push(1, b, 'sweep', 60, [b * 10], `collector of ${b}`);
    merges.push(1202, 1203, 'manual', 100, [], 'same person');
    const params = { ...DEFAULT_CLUSTER_PARAMS, heuristics: ['sweep', 'manual'] };
    const components = [Array.from({ length: 1201 }, (_, i) => i + 1), [1202, 1203]];
    saveClusters(db, { components, merges, conflicts: [{ a: 5, b: 1202, heuristic: 'sweep', reason: 'labels differ' }] }, params);
    const clusters = db.prepare('SELECT account_id, cluster_id FROM clusters ORDER BY account_id').raw(true).safeIntegers(false).all();
    expect(clusters).toEqual([...components[0]!.map((id) => [id, 1]), [1202, 2], [1203, 2]]);
    const evidence = db
      .prepare('SELECT id, a, b, heuristic, params, transfers, confidence, outcome FROM cluster_evidence ORDER BY id')
      .raw(true)
      .safeIntegers(false)
      .all() as unknown[][];
    expect(evidence.length).toBe(1202);
    expect(evidence.map((row) => row[0])).toEqual(Array.from({ length: 1202 }, (_, i) => i + 1));
    const paramsJson = JSON.stringify(params);
    expect(evidence[0]).toEqual([1, 1, 2, 'sweep', paramsJson, '{"transfers":[20],"reason":"collector of 2"}', 60, 'merged']);
    expect(evidence[499]).toEqual([500, 1, 501, 'sweep', paramsJson, '{"transfers":[5010],"reason":"collector of 501"}', 60, 'merged']);
    expect(evidence[500]).toEqual([501, 1, 502, 'sweep', paramsJson, '{"transfers":[5020],"reason":"collector of 502"}', 60, 'merged']);
    expect(evidence.slice(-2)).toEqual([
      [1201, 1202, 1203, 'manual', paramsJson, '{"transfers":[],"reason":"same person"}', 100, 'merged'],
      [1202, 5, 1202, 'sweep', paramsJson, '{"transfers":[],"reason":"labels differ"}', 0, 'conflict'],
    ]);
    db.close();
  });

  it('numbers each member by its cluster when clusters interleave in id order, and for ids too large to index', () => {
    const db = openCaseDb(join(tempDir('hoptrace-save-clusters-'), 'case.db'));
    db.prepare(
      "INSERT INTO accounts (id, rail, ident) VALUES (1, 'tron', 'T1'), (2, 'tron', 'T2'), (3, 'tron', 'T3'), (5, 'tron', 'T5'), (268435457, 'tron', 'TX')",
    ).run();
    const params = { ...DEFAULT_CLUSTER_PARAMS, heuristics: ['manual'] };
    // Saves these components (no merges) and answers the stored (account, cluster) rows.
    const save = (components: number[][]) => {
      saveClusters(db, { components, merges: new Proposals(), conflicts: [] }, params);
      return db.prepare('SELECT account_id, cluster_id FROM clusters ORDER BY account_id').raw(true).safeIntegers(false).all();
    };
    expect(
      save([
        [1, 5],
        [2, 3],
      ]),
    ).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
      [5, 1],
    ]);
    expect(
      save([
        [1, 5],
        [2, 268435457],
      ]),
    ).toEqual([
      [1, 1],
      [2, 2],
      [5, 1],
      [268435457, 2],
    ]);
    db.close();
  });

  it('writes without foreign-key checks, checks the rows before COMMIT, and saves nothing that names an account not in the case', () => {
    const db = openCaseDb(join(tempDir('hoptrace-save-clusters-'), 'case.db'));
    db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (1, 'tron', 'T1'), (2, 'tron', 'T2'), (3, 'tron', 'T3')").run();
    const params = { ...DEFAULT_CLUSTER_PARAMS, heuristics: ['manual'] };
    const merge = (a: number, b: number) => {
      const merges = new Proposals();
      merges.push(a, b, 'manual', 100, [], 'same person');
      return merges;
    };
    const set = recordPragmaSets(db);
    saveClusters(db, { components: [[1, 2]], merges: merge(1, 2), conflicts: [] }, params);
    expect(set).toEqual(['foreign_keys = OFF', 'foreign_keys = 1']);
    const stored = () => ({
      clusters: db.prepare('SELECT account_id, cluster_id FROM clusters ORDER BY account_id').raw(true).safeIntegers(false).all(),
      evidence: db.prepare('SELECT a, b FROM cluster_evidence ORDER BY id').raw(true).safeIntegers(false).all(),
      log: db.prepare('SELECT COUNT(*) FROM audit_log').pluck().safeIntegers(false).get(),
    });
    const before = stored();
    expect(before.clusters).toEqual([
      [1, 1],
      [2, 1],
    ]);
    // Account 9 is not in the case (a source removed while clustering ran): nothing is saved.
    const save = (components: number[][], a: number, b: number) => () => saveClusters(db, { components, merges: merge(a, b), conflicts: [] }, params);
    for (const bad of [save([[1, 9]], 1, 3), save([[1, 3]], 3, 9)]) {
      expect(bad).toThrow(HoptraceError);
      expect(stored()).toEqual(before);
      expect(Number(db.pragma('foreign_keys', { simple: true }))).toBe(1);
    }
    expect(save([[1, 3]], 3, 9)).toThrow('1 cluster_evidence row(s) name accounts or rows that are not in the case: the clusters were not saved');
    expect(save([[1, 9]], 1, 3)).toThrow('1 clusters row(s) name accounts or rows that are not in the case: the clusters were not saved');
    db.close();
  });
});
