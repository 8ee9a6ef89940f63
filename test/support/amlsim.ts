/**
 * IBM AMLSim's labelled 20K_fanin200cycle200 data set (test/fixtures/amlsim-ibm) as detection
 * input, and node-level precision and recall of a typology against its isFraud labels: used by
 * test/detect and bench/detect.bench.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAmlsimTransactions } from '../../adapters/amlsim/transactions.js';
import { typologies } from '../../src/detect/typologies/index.js';
import type { DetectData, DetectParams, TypologyName } from '../../src/detect/types.js';
import { AddressCache } from '../../src/model/address.js';
import { AccountColumns } from '../../src/cluster/accountColumns.js';
import { TransferColumns } from '../../src/cluster/transferColumns.js';
import type { ClusterAccount, ClusterTransfer } from '../../src/cluster/types.js';

const DIR = fileURLToPath(new URL('../fixtures/amlsim-ibm/20K_fanin200cycle200/', import.meta.url));

export async function loadAmlsim(): Promise<{ data: DetectData; fraud: Set<number> }> {
  const accounts = new Map<number, ClusterAccount>();
  const transfers: ClusterTransfer[] = [];
  for (const part of ['transactions.part1.csv', 'transactions.part2.csv']) {
    for await (const item of readAmlsimTransactions({ path: join(DIR, part), addresses: new AddressCache() })) {
      if (item.kind !== 'transfer') continue;
      const r = item.record;
      const from = Number(r.from.ident.slice(7));
      const to = Number(r.to.ident.slice(7));
      for (const id of [from, to])
        if (!accounts.has(id))
          accounts.set(id, { id, rail: 'bank', ident: `amlsim:${id}`, holderNorm: null, bank: null, service: false, exchange: false, labels: [] });
      transfers.push({ id: transfers.length + 1, from, to, asset: r.asset, amount: r.amount, time: r.time });
    }
  }
  transfers.sort((a, b) => a.time - b.time || a.id - b.id);
  const fraud = new Set<number>();
  for (const line of readFileSync(join(DIR, 'nodes.csv'), 'utf8').split('\n').slice(1)) {
    const [id, isFraud] = line.split(',');
    if (isFraud === '1') fraud.add(Number(id));
  }
  return { data: { accounts: AccountColumns.of(accounts.values()), transfers: TransferColumns.of(transfers) }, fraud };
}

export function nodeScores(
  data: DetectData,
  fraud: Set<number>,
  typology: TypologyName,
  params: DetectParams,
): { precision: number; recall: number; flagged: number; findings: number } {
  const findings = [...typologies[typology](data, params)];
  const flagged = new Set(findings.flatMap((f) => (typology === 'fan-in' ? [f.accounts[0]!, ...f.accounts.slice(1)] : f.accounts)));
  const hits = [...flagged].filter((id) => fraud.has(id)).length;
  return { precision: flagged.size === 0 ? 0 : hits / flagged.size, recall: hits / fraud.size, flagged: flagged.size, findings: findings.length };
}
