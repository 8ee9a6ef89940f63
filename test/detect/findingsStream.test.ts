import { beforeAll, describe, expect, it } from 'vitest';
import { jsonArrayChunks } from '../../src/cli/jsonChunks.js';
import { findingsText } from '../../src/cli/run/detect.js';
import { TYPOLOGY_NAMES, type Finding } from '../../src/detect/types.js';
import { openCaseDb, toNumber, type Db } from '../../src/store/caseStore.js';
import { iterateFindings, saveFindings, selectFindings, type StoredFinding } from '../../src/store/findings.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { BANK, detectHandBuiltCase } from './handBuiltCase.js';

/**
 * `hoptrace detect` and `findings` print the stored findings a page at a time (iterateFindings,
 * docs/performance.md, `detect`): the text must be what printing them all from one array gave —
 * JSON.stringify(selectFindings(db), null, 2) for --json, and the text lines below — whatever the
 * page size, with the findings of one typology stored in several runs between other typologies'.
 */
let db: Db;
let casePath: string;

/** The text output as it was printed from the whole array of findings. */
function wholeArrayText(findings: StoredFinding[]): string {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.typology, (counts.get(f.typology) ?? 0) + 1);
  for (const name of TYPOLOGY_NAMES) if (counts.has(name)) lines.push(`${name.padEnd(24)} ${counts.get(name)} findings\n`);
  for (const f of findings.slice(0, 50))
    lines.push(
      `  ${f.typology}: ${f.accounts.map((a) => a.ident + (a.tags.length > 0 ? ` [${a.tags.map((t) => t.label).join('; ')}]` : '')).join(', ')} (score ${f.score}; ${f.evidence.length} transfers)\n`,
    );
  if (findings.length > 50) lines.push(`  … ${findings.length - 50} more (--json for all)\n`);
  return lines.join('');
}

beforeAll(async () => {
  ({ db, casePath } = await detectHandBuiltCase(tempDir()));
  // Sweep and fan-in findings stored interleaved, then cycle findings stored twice: each
  // typology's ids are not one run, and 'cycle' sorts before them though stored after.
  const accounts = (db.prepare('SELECT id FROM accounts ORDER BY id').pluck().all() as bigint[]).map(toNumber);
  const transfers = (db.prepare('SELECT id FROM transfers ORDER BY id').pluck().all() as bigint[]).map(toNumber);
  const made = (typology: Finding['typology'], i: number): Finding => ({
    typology,
    accounts: [accounts[(i * 7) % accounts.length]!, accounts[(i * 3 + 1) % accounts.length]!],
    // A transfer id the case does not hold is printed as transfer:<id>, as before.
    evidence: [transfers[i % transfers.length]!, transfers[(i * 5) % transfers.length]!, ...(i % 9 === 0 ? [9_999_999] : [])],
    score: (i % 10) / 10,
  });
  saveFindings(
    db,
    ['sweep', 'fan-in'],
    Array.from({ length: 60 }, (_, i) => made(i % 3 === 0 ? 'fan-in' : 'sweep', i)),
    { windowMs: 1 },
  );
  saveFindings(db, ['cycle'], [made('cycle', 1), made('cycle', 2)], { windowMs: 2 });
  saveFindings(db, ['structuring'], [made('structuring', 3)], { windowMs: 3 });
  saveFindings(db, ['cycle'], [made('cycle', 4), made('cycle', 5), made('cycle', 6)], { windowMs: 4 });
});

describe('stored findings read a page at a time', () => {
  it('give the JSON text of the whole array, at every page size', () => {
    const all = selectFindings(db);
    expect(all.length).toBe(74);
    expect(all.filter((f) => f.typology === 'cycle').map((f) => f.params['windowMs'])).toEqual([4, 4, 4]);
    expect(all.filter((f) => f.typology === 'fan-in').length).toBe(20);
    expect(all.some((f) => f.evidence.includes('transfer:9999999'))).toBe(true);
    expect(all.some((f) => f.accounts.some((a) => a.holder !== undefined && a.tags.length > 0))).toBe(true);
    const expected = JSON.stringify(all, null, 2);
    for (const pageSize of [1, 2, 3, 7, 13, 50, 64, 65, 66, 2000])
      expect([...jsonArrayChunks(iterateFindings(db, { pageSize }))].join(''), `page size ${pageSize}`).toBe(expected);
  });

  it('give only the typologies asked for, in the same order', () => {
    const wanted = ['sweep', 'pass-through', 'cycle'];
    const expected = JSON.stringify(
      selectFindings(db).filter((f) => wanted.includes(f.typology)),
      null,
      2,
    );
    for (const pageSize of [1, 4, 2000]) expect([...jsonArrayChunks(iterateFindings(db, { typologies: wanted, pageSize }))].join('')).toBe(expected);
    expect([...jsonArrayChunks(iterateFindings(db, { typologies: [] }))].join('')).toBe('[]');
    expect([...jsonArrayChunks(iterateFindings(db, { typologies: ['fan-out'] }))].join('')).toBe('[]');
  });

  it('leave no statement open between findings, so the case can be read while they are printed', () => {
    let seen = 0;
    for (const f of iterateFindings(db, { pageSize: 4 })) {
      // better-sqlite3 refuses any other statement while one is still being iterated.
      expect(toNumber(db.prepare('SELECT COUNT(*) FROM finding_accounts').pluck().get())).toBe(142);
      seen += f.accounts.length;
    }
    expect(seen).toBe(142);
  });

  it('give the text output of the whole array: the counts, the first 50, how many more', () => {
    const all = selectFindings(db);
    const text = wholeArrayText(all);
    expect(text.split('\n').slice(0, 1)).toEqual(['pass-through             6 findings']);
    expect(text.endsWith('\n  … 24 more (--json for all)\n')).toBe(true);
    for (const pageSize of [1, 3, 50, 2000]) expect([...findingsText(db, undefined, pageSize)].join('')).toBe(text);
    const few = ['cycle', 'structuring'];
    expect([...findingsText(db, few, 2)].join('')).toBe(wholeArrayText(all.filter((f) => few.includes(f.typology))));
  });

  it('hoptrace detect and findings print the same text as before', () => {
    db.close();
    const detected = hoptrace(['--db', casePath, 'detect', '--victims', BANK.piet, '--json']);
    expect(detected.status, detected.stderr).toBe(0);
    const listed = hoptrace(['--db', casePath, 'findings']);
    const subset = hoptrace(['--db', casePath, 'detect', '--typologies', 'pass-through,cycle', '--victims', BANK.piet]);
    db = openCaseDb(casePath);
    const all = selectFindings(db);
    expect(detected.stdout).toBe(JSON.stringify(all, null, 2) + '\n');
    expect(listed.stdout).toBe(wholeArrayText(all));
    expect(subset.stdout).toBe(wholeArrayText(selectFindings(db).filter((f) => f.typology === 'pass-through' || f.typology === 'cycle')));
    expect(hoptrace(['--db', casePath, 'findings', '--json']).stdout).toBe(JSON.stringify(selectFindings(db), null, 2) + '\n');
  });
});
