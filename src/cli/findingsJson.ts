import type { StoredFinding } from '../store/findings.js';
import { jsonArrayBatches } from './jsonChunks.js';

/**
 * Where a finding's params stand in a batch's text: JSON text has no raw line breaks inside
 * strings, so a line break followed by four spaces and a key is a finding's own member (the
 * members of its accounts and tags are indented further), and `"params"` is one of them once.
 */
const SLOT = '\n    "params": 0,\n';

/**
 * `JSON.stringify([...findings], null, 2)`, byte for byte, as jsonArrayBatches writes it, with
 * each run's params stringified once: every finding of a run carries the same params (23 members),
 * and stringifying them again for each of 636,455 findings took about 1.1 CPU-s of printing them
 * (docs/performance.md, `detect`). A batch is stringified with 0 in their place, then each finding's
 * slot is given the text of its params, indented as JSON.stringify indents them there.
 */
export function* findingsJsonBatches(findings: Iterable<StoredFinding>, batch = 256): Generator<string> {
  const texts: string[] = [];
  let lastParams: StoredFinding['params'] | undefined;
  let lastText = '';
  function* standIns(): Generator<Omit<StoredFinding, 'params'> & { params: 0 }> {
    for (const { typology, accounts, params, evidence, score } of findings) {
      if (params !== lastParams) {
        lastParams = params;
        lastText = `\n    "params": ${JSON.stringify(params, null, 2).replaceAll('\n', '\n    ')},\n`;
      }
      texts.push(lastText);
      yield { typology, accounts, params: 0, evidence, score };
    }
  }
  // Each batch's text is made once its findings have been taken, so `texts` holds theirs.
  for (const text of jsonArrayBatches(standIns(), batch)) {
    const parts = text.split(SLOT);
    if (parts.length - 1 !== texts.length) throw new Error(`a batch of ${texts.length} findings has ${parts.length - 1} params in its text`);
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i++) out += texts[i - 1]! + parts[i]!;
    texts.length = 0;
    yield out;
  }
}
