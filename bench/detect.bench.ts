/**
 * Typology detection, measured on IBM AMLSim's labelled 20K_fanin200cycle200 data set
 * (20,000 accounts, 120,558 transactions, 200 cycles and 200 fan-ins; node labels isFraud):
 * node-level precision and recall of cycle and fan-in detection, then detection over 1,000,000
 * generated transfers with time and peak RSS.  Needs test/fixtures/amlsim-ibm.
 */
import { fileURLToPath } from 'node:url';
import { typologies } from '../src/detect/typologies/index.js';
import { DEFAULT_DETECT_PARAMS, type DetectParams, type TypologyName } from '../src/detect/types.js';
import type { ClusterAccount } from '../src/cluster/types.js';
import { loadAmlsim, nodeScores } from '../test/support/amlsim.js';

const DAY = 86_400_000;
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { data, fraud } = await loadAmlsim();
  console.log(`AMLSim 20K_fanin200cycle200: ${data.accounts.size} accounts, ${data.transfers.length} transactions, ${fraud.size} fraud nodes`);
  for (const [typology, extra] of [
    ['cycle', { windowMs: 10 * DAY, cycleMaxHops: 6 }],
    ['cycle', { windowMs: 30 * DAY, cycleMaxHops: 6 }],
    ['fan-in', { windowMs: 5 * DAY, fanK: 5 }],
    ['fan-in', { windowMs: 2 * DAY, fanK: 8 }],
    ['fan-in', { windowMs: 1 * DAY, fanK: 10 }],
  ] as [TypologyName, Partial<DetectParams>][]) {
    const started = Date.now();
    const s = nodeScores(data, fraud, typology, { ...DEFAULT_DETECT_PARAMS, ...extra });
    console.log(`  ${typology.padEnd(7)} ${JSON.stringify(extra)}: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)} (${s.flagged} nodes flagged, ${s.findings} findings, ${Date.now() - started} ms)`);
  }
  // Scale: 1,000,000 generated transfers over 100,000 accounts.
  let state = 7;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const accounts = new Map<number, ClusterAccount>();
  for (let id = 1; id <= 100_000; id++) accounts.set(id, { id, rail: 'tron', ident: `w${id}`, holderNorm: null, bank: null, service: false, exchange: false, labels: [] });
  const transfers = Array.from({ length: 1_000_000 }, (_, i) => ({ id: i + 1, from: 1 + Math.floor(random() * 100_000), to: 1 + Math.floor(random() * 100_000), asset: 'USDT', amount: BigInt(1 + Math.floor(random() * 1e9)), time: 1_700_000_000_000 + i * 30_000 }));
  const started = Date.now();
  let total = 0;
  for (const name of ['pass-through', 'fan-in', 'fan-out', 'cycle', 'peel-chain', 'sweep', 'structuring'] as TypologyName[]) total += typologies[name]({ accounts, transfers }, { ...DEFAULT_DETECT_PARAMS, windowMs: DAY, cycleMaxHops: 4 }).length;
  console.log(`scale: 7 typologies over 1,000,000 transfers / 100,000 accounts in ${((Date.now() - started) / 1000).toFixed(1)} s, ${total} findings, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
