/**
 * Typology detection, measured on IBM AMLSim's labelled 20K_fanin200cycle200 data set
 * (20,000 accounts, 120,558 transactions, 200 cycles and 200 fan-ins; node labels isFraud):
 * node-level precision and recall of cycle and fan-in detection, then detection over 1,000,000
 * generated transfers with time and peak RSS.  Needs test/fixtures/amlsim-ibm.
 *
 *   npx tsx bench/detect.bench.ts [--scale-only] [--transfers N]
 */
import { fileURLToPath } from 'node:url';
import { typologies } from '../src/detect/typologies/index.js';
import { DEFAULT_DETECT_PARAMS, type DetectParams, type TypologyName } from '../src/detect/types.js';
import { AccountColumns } from '../src/cluster/accountColumns.js';
import { TransferColumns } from '../src/cluster/transferColumns.js';
import type { ClusterAccount } from '../src/cluster/types.js';
import { loadAmlsim, nodeScores } from '../test/support/amlsim.js';

const DAY = 86_400_000;
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { data, fraud } = process.argv.includes('--scale-only')
    ? { data: { accounts: new AccountColumns(), transfers: new TransferColumns() }, fraud: new Set<number>() }
    : await loadAmlsim();
  console.log(`AMLSim 20K_fanin200cycle200: ${data.accounts.size} accounts, ${data.transfers.length} transactions, ${fraud.size} fraud nodes`);
  // The precision–recall curve of docs/detection.md (each point takes seconds to a minute).
  for (const [typology, extra] of (process.argv.includes('--scale-only')
    ? []
    : [
        ...[5, 10, 20, 30, 60, 90].map((days) => ['cycle', { windowMs: days * DAY, cycleMaxHops: 3 }]),
        ...[5, 10, 20].map((days) => ['cycle', { windowMs: days * DAY, cycleMaxHops: 6 }]),
        ...[1, 2, 5, 10].map((days) => ['fan-in', { windowMs: days * DAY, fanK: 3 }]),
        ...[2, 5, 10].map((days) => ['fan-in', { windowMs: days * DAY, fanK: 5 }]),
        ['fan-in', { windowMs: 1 * DAY, fanK: 8 }],
        ['fan-in', { windowMs: 5 * DAY, fanK: 5, fanAmountSimilarity: 0.9 }],
      ]) as [TypologyName, Partial<DetectParams>][]) {
    const started = Date.now();
    const s = nodeScores(data, fraud, typology, { ...DEFAULT_DETECT_PARAMS, ...extra });
    console.log(
      `  ${typology.padEnd(7)} ${JSON.stringify(extra)}: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)} (${s.flagged} nodes flagged, ${s.findings} findings, ${Date.now() - started} ms)`,
    );
  }
  // Scale: 1,000,000 generated transfers over 100,000 accounts (--transfers N for fewer).
  let state = 7;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const accounts = new Map<number, ClusterAccount>();
  const at = process.argv.indexOf('--transfers');
  const size = at >= 0 ? Number(process.argv[at + 1]) : 1_000_000;
  for (let id = 1; id <= size / 10; id++)
    accounts.set(id, { id, rail: 'tron', ident: `w${id}`, holderNorm: null, bank: null, service: false, exchange: false, labels: [] });
  // As a case file's snapshot holds them: columns, sized once (src/cluster/transferColumns.ts).
  const transfers = new TransferColumns(size);
  for (let i = 0; i < size; i++) {
    const from = 1 + Math.floor(random() * (size / 10));
    const to = 1 + Math.floor(random() * (size / 10));
    transfers.push(i + 1, from, to, 'USDT', BigInt(1 + Math.floor(random() * 1e9)), 1_700_000_000_000 + i * 30_000, 0);
  }
  const columns = AccountColumns.of(accounts.values());
  const started = Date.now();
  let total = 0;
  for (const name of Object.keys(typologies) as TypologyName[])
    total += [...typologies[name]({ accounts: columns, transfers }, { ...DEFAULT_DETECT_PARAMS, windowMs: DAY, cycleMaxHops: 4 })].length;
  console.log(
    `scale: ${Object.keys(typologies).length} typologies over ${size.toLocaleString('en')} transfers / ${(size / 10).toLocaleString('en')} accounts in ${((Date.now() - started) / 1000).toFixed(1)} s, ${total} findings, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}
