import { beforeAll, describe, expect, it } from 'vitest';
import { tracedOverlap } from '../../src/detect/detectCase.js';
import type { Db } from '../../src/store/caseStore.js';
import { selectFindings, type StoredFinding } from '../../src/store/findings.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { resolveAccountIdent, resolveTransferIds } from '../../src/store/transferRefs.js';
import { BANK, CHAIN, bankRef, detectHandBuiltCase } from './handBuiltCase.js';

/**
 * The "done when", on a case hoptrace has never seen (test/detect/handBuiltCase.ts): both
 * mule accounts are pass-through findings and no victim is; the peel chain is found; zero-value
 * transfers from a lookalike of a victim's counterparty are an address-poisoning finding naming
 * both addresses; no cycle runs through an exchange.
 */
let db: Db;
let casePath: string;
let findings: StoredFinding[];
const idents = (f: StoredFinding): string[] => f.accounts.map((a) => a.ident);
const of = (typology: string): StoredFinding[] => findings.filter((f) => f.typology === typology);

beforeAll(async () => {
  ({ db, casePath } = await detectHandBuiltCase(tempDir()));
  findings = selectFindings(db);
});

describe('detect on a hand-built case it has never seen', () => {
  it('finds both mules as pass-through, each with its holder and tags, and no victim', () => {
    const passThrough = of('pass-through');
    const banks = passThrough.filter((f) => f.accounts[0]!.rail === 'bank');
    expect(banks.map((f) => [idents(f), f.score, f.evidence.length])).toEqual([
      // Tobias: 20,000 in from two victims, 17,800 (89 %) on the next day.
      [[BANK.tobias], 0.89, 3],
      // Lena: 400 held from March, 12,000 in, 10,680 (89 %) on: 1 − 0.11 − 0.033.
      [[BANK.lena], 0.857, 2],
    ]);
    expect(banks[0]!.accounts).toEqual([
      { rail: 'bank', ident: BANK.tobias, holder: 'Tobias Brandt', tags: [{ category: 'mule', label: 'Tobias Brandt (mule account)' }] },
    ]);
    const flagged = passThrough.flatMap(idents);
    for (const victim of [BANK.greta, BANK.hannes, BANK.piet, CHAIN.victimEth]) expect(flagged).not.toContain(victim);
    // The other pass-through accounts are the peel wallets and the platform wallet: forwarders all.
    expect(
      passThrough
        .filter((f) => f.accounts[0]!.rail !== 'bank')
        .map((f) => idents(f)[0])
        .sort(),
    ).toEqual([CHAIN.peel1, CHAIN.peel2, CHAIN.peel3, CHAIN.platform].sort());
  });

  it("reports the victim who passed another victim's money on as a victim-offender overlap", () => {
    expect(of('victim-offender-overlap').map((f) => [idents(f).sort(), f.score, f.evidence.length])).toEqual([[[BANK.hannes, BANK.piet].sort(), 1, 2]]);
  });

  it("with seeds, a FIFO trace shows the victim passing another victim's money on (src/detect/victimOffender.ts)", () => {
    // Seeds: Piet's own 100 in March and Hannes's 5,000 to Piet. Piet's 12,000 to Lena carries Hannes's money.
    const seeds = [bankRef('2025-03-01', '-100.00', BANK.lena), bankRef('2025-06-05', '5000.00', BANK.hannes)];
    const traced = tracedOverlap(db, seeds);
    const piet = resolveAccountIdent(db, BANK.piet)!;
    expect(traced.victims.sort((a, b) => a - b)).toEqual([piet, resolveAccountIdent(db, BANK.hannes)!].sort((a, b) => a - b));
    const evidence = [...resolveTransferIds(db, seeds[0]!), ...resolveTransferIds(db, bankRef('2025-06-06', '-12000.00', BANK.lena))].sort((a, b) => a - b);
    expect(traced.findings).toEqual([{ typology: 'victim-offender-overlap', accounts: [piet], evidence, score: 1 }]);
  });

  it('finds the peel chain', () => {
    expect(of('peel-chain').map((f) => [idents(f).sort(), f.score, f.evidence.length])).toEqual([[[CHAIN.peel1, CHAIN.peel2, CHAIN.peel3].sort(), 0.5, 7]]);
  });

  it("reports the zero-value transfers from the platform's lookalike as address poisoning, naming both addresses", () => {
    const poisoning = of('address-poisoning');
    expect(poisoning.map((f) => [idents(f).sort(), f.score, f.evidence.length])).toEqual([[[CHAIN.lookalike, CHAIN.platform, CHAIN.victimEth].sort(), 0.8, 3]]);
    expect(CHAIN.lookalike.slice(0, 6).toLowerCase()).toBe(CHAIN.platform.slice(0, 6).toLowerCase());
    expect(CHAIN.lookalike.slice(-4).toLowerCase()).toBe(CHAIN.platform.slice(-4).toLowerCase());
  });

  it('finds no cycle through an exchange (the traders\' deposits and withdrawals); the "profit" back is one, scored 0.04', () => {
    expect(of('cycle').map((f) => [idents(f).sort(), f.score])).toEqual([[[CHAIN.platform, CHAIN.victimEth].sort(), 0.04]]);
    expect(
      of('cycle')
        .flatMap((f) => f.accounts)
        .filter((a) => a.tags.some((t) => t.category === 'exchange')),
    ).toEqual([]);
  });

  it('reports the platform\'s 400 USDT "profit" before the victim\'s 25,000 as an inducement', () => {
    expect(of('inducement').map((f) => [idents(f).sort(), f.score, f.evidence.length])).toEqual([[[CHAIN.platform, CHAIN.victimEth].sort(), 0.984, 2]]);
  });

  it('scores every finding on the 0–1 scale and records the victims it protected', () => {
    expect(findings.filter((f) => !(f.score >= 0 && f.score <= 1))).toEqual([]);
    expect([...(findings[0]!.params.victims as string[])].sort()).toEqual([BANK.greta, BANK.hannes, BANK.piet].sort());
  });

  it('hoptrace detect --victims does the same from the command line, and names an unknown victim clearly', () => {
    db.close();
    const run = hoptrace(['--db', casePath, 'detect', '--typologies', 'pass-through,victim-offender-overlap', '--victims', BANK.piet, '--json']);
    expect(run.status).toBe(0);
    const cli = JSON.parse(run.stdout) as StoredFinding[];
    expect(cli.map((f) => [f.typology, idents(f).sort()])).toEqual(
      findings.filter((f) => ['pass-through', 'victim-offender-overlap'].includes(f.typology)).map((f) => [f.typology, idents(f).sort()]),
    );
    // --seeds: the senders of the victim payments named are victims (a FIFO trace runs from them).
    const seeded = hoptrace(['--db', casePath, 'detect', '--typologies', 'pass-through,victim-offender-overlap', '--seeds', `account:${BANK.piet}`, '--json']);
    expect(seeded.status).toBe(0);
    const bySeeds = JSON.parse(seeded.stdout) as StoredFinding[];
    expect(bySeeds.map((f) => [f.typology, idents(f).sort()])).toEqual(cli.map((f) => [f.typology, idents(f).sort()]));
    expect(bySeeds[0]!.params.victims).toContain(BANK.piet);
    const bad = hoptrace(['--db', casePath, 'detect', '--victims', 'NL02ABNA0123456789']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--victims: account "NL02ABNA0123456789" is not in the case file');
  });
});
