import { NumberList } from '../model/numberList.js';
import { TYPOLOGY_NAMES, type Finding, type TypologyName } from './types.js';

/**
 * The findings of a detect run until they are stored, as columns: a typology index and a score a
 * finding, its account ids and evidence transfer ids one list each. As objects (an array each for
 * accounts and evidence) the 636,455 findings at 5,000,000 transfers held ~225 MB of heap through
 * the later typologies; as columns, ~35 MB (docs/performance.md, `detect`). Ids are kept as
 * float64, exact for any id SQLite hands out that a JS number holds.
 */
export class FindingColumns implements Iterable<Finding> {
  private typologies = new NumberList();
  private scores = new NumberList();
  /** Where each finding's accounts and evidence end in `accounts` and `evidence`. */
  private accountEnds = new NumberList();
  private evidenceEnds = new NumberList();
  private accounts = new NumberList();
  private evidence = new NumberList();

  get length(): number {
    return this.typologies.length;
  }

  push(finding: Finding): void {
    this.typologies.push(TYPOLOGY_NAMES.indexOf(finding.typology));
    this.scores.push(finding.score);
    for (const id of finding.accounts) this.accounts.push(id);
    for (const id of finding.evidence) this.evidence.push(id);
    this.accountEnds.push(this.accounts.length);
    this.evidenceEnds.push(this.evidence.length);
  }

  /** Finding `i` as an object, as it was pushed. */
  get(i: number): Finding {
    const accountsFrom = i === 0 ? 0 : this.accountEnds.values[i - 1]!;
    const evidenceFrom = i === 0 ? 0 : this.evidenceEnds.values[i - 1]!;
    return {
      typology: TYPOLOGY_NAMES[this.typologies.values[i]!] as TypologyName,
      accounts: Array.from(this.accounts.values.subarray(accountsFrom, this.accountEnds.values[i]!)),
      evidence: Array.from(this.evidence.values.subarray(evidenceFrom, this.evidenceEnds.values[i]!)),
      score: this.scores.values[i]!,
    };
  }

  *[Symbol.iterator](): Iterator<Finding> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}
