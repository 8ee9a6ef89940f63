import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, ROOT, tempDir } from '../../support/cli.js';

const OFAC = fixture('ofac-sdn-digital-currency');
const PACKS = fixture('graphsense-tagpacks', 'packs');
const MADE = fixture('hoptrace-made', 'tags');

interface TagJson {
  rail: string;
  ident: string;
  category: string;
  label: string;
  confidence: number;
  origin: string;
}

function tagsOf(db: string, ...args: string[]): TagJson[] {
  const run = hoptrace(['--db', db, 'tags', '--json', ...args]);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as TagJson[];
}

function countBy(tags: TagJson[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tags) counts[`${t.rail}/${t.category}`] = (counts[`${t.rail}/${t.category}`] ?? 0) + 1;
  return counts;
}

describe('hoptrace ingest tags', () => {
  it('routes the mixed-format OFAC USDT list by address format and counts Omni addresses as unsupported', () => {
    const db = join(tempDir(), 'case.db');
    const run = hoptrace(['--db', db, 'ingest', 'tags', join(OFAC, 'brave-intl_lists_2025-12-04', 'sanctioned_addresses_USDT.txt')]);
    expect(run.status).toBe(0);
    // README of the list: 78 Tron, 8 Ethereum and 7 Bitcoin-style (Omni) addresses.
    expect(run.stderr).toContain('ofac (detected): 7 skipped (rails or categories hoptrace does not use), 86 tags');
    expect(run.stderr).toContain('addresses on rails hoptrace does not follow (counted, not stored): bitcoin 7');
    const tags = tagsOf(db);
    expect(countBy(tags)).toEqual({ 'ethereum/sanctioned': 8, 'tron/sanctioned': 78 });
    expect(new Set(tags.map((t) => `${t.origin} ${t.confidence} ${t.label}`))).toEqual(new Set(['OFAC 60 OFAC SDN list (USDT addresses)']));
  });

  it('reads the SDN advanced XML: entity names as labels, every non-EVM/Tron rail counted', () => {
    const db = join(tempDir(), 'case.db');
    const run = hoptrace(['--db', db, 'ingest', 'tags', join(OFAC, 'sdn_advanced_subset', 'sdn_advanced.digital_currency_subset.xml')]);
    expect(run.status).toBe(0);
    // python3 over the XML: 108 Tron and 90 Ethereum-format features; 518 XBT, 11 LTC, 8 XMR, 7 BCH,
    // 7 Omni USDT, 3 ZEC, 3 DASH and one each of BTG, BSV, XVG, XRP, BNB, SOL.
    expect(run.stderr).toContain('563 skipped');
    expect(run.stderr).toContain('counted, not stored): BCH 7, BNB 1, BSV 1, BTG 1, DASH 3, LTC 11, SOL 1, USDT 7, XBT 518, XMR 8, XRP 1, XVG 1, ZEC 3');
    expect(countBy(tagsOf(db))).toEqual({ 'ethereum/sanctioned': 90, 'tron/sanctioned': 108 });
    expect(tagsOf(db, '--account', 'TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz').map((t) => t.label)).toEqual(['CHEIL CREDIT BANK (OFAC SDN, USDT)']);
  });

  it('reads TagPacks with header inheritance, confidence levels and the category table', () => {
    const db = join(tempDir(), 'case.db');
    const run = hoptrace([
      '--db',
      db,
      'ingest',
      'tags',
      join(PACKS, 'exchange-wallets-binance.yaml'),
      join(PACKS, 'usdt_blacklist.yaml'),
      join(PACKS, 'tornado_cash.yaml'),
      join(PACKS, 'ofac.yaml'),
      join(PACKS, 'demo.yaml'),
    ]);
    expect(run.status).toBe(0);
    // python3 over the packs (header inherited, routed by address format, one tag per account,
    // category, label and pack): binance 32 ETH + 9 TRX exchange wallets; the USDT blacklist (774,
    // black_list → sanctioned) and ofac.yaml (category user, but an OFAC list) give 924 Ethereum and
    // 6 Tron sanctioned tags; tornado_cash 39 tags on 38 distinct addresses (mixing_service → mixer).
    expect(countBy(tagsOf(db))).toEqual({
      'ethereum/exchange': 32,
      'tron/exchange': 9,
      'ethereum/sanctioned': 924,
      'ethereum/mixer': 38,
      'tron/sanctioned': 6,
    });
    const blacklisted = tagsOf(db, '--account', '0x008fe40574e881e7247b50b991c0cc057d66647f');
    expect(blacklisted).toEqual([
      {
        rail: 'ethereum',
        ident: getAddress('0x008fe40574e881e7247b50b991c0cc057d66647f'),
        category: 'sanctioned',
        label: 'USDT_blacklisted',
        confidence: 100,
        origin: 'TagPack:usdt_blacklist.yaml',
      },
    ]);
    expect(tagsOf(db, '--category', 'exchange').find((t) => t.rail === 'tron')!.confidence).toBe(50);
    expect(run.stderr).toContain(
      'demo.yaml: tagpack (detected): 0 stored, 5 skipped (rails or categories hoptrace does not use)\n  note: addresses on rails hoptrace does not follow (counted, not stored): bch 1, btc 1, xrp 1, zec 1\n  note: 1 tags in categories hoptrace does not use (counted as skipped)',
    );
  });

  it('stores the same tags once on re-import, keeps conflicting labels, and lists endpoints', () => {
    const db = join(tempDir(), 'case.db');
    expect(hoptrace(['--db', db, 'ingest', 'tags', join(MADE, 'tags.csv')]).status).toBe(0);
    const again = hoptrace(['--db', db, 'ingest', 'tags', join(MADE, 'tags.csv')]);
    expect(again.stderr).toContain('already imported');
    const tags = tagsOf(db);
    expect(tags.map((t) => [t.rail, t.ident, t.category, t.label, t.confidence, t.origin])).toEqual([
      ['bank', 'DE89370400440532013000', 'mule', 'Account of a coerced worker', 60, 'CSV:tags.csv'],
      ['ethereum', '0x08723392Ed15743cc38513C4925f5e6be5c17243', 'sanctioned', 'Lazarus Group', 60, 'OFAC'],
      ['tron', 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'exchange', 'Binance, hot wallet 2 (exchange reply)', 90, 'exchange reply 2025-03'],
      ['tron', 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'exchange', 'Binance-Hot 2', 80, 'TronScan label'],
    ]);
    const endpoints = hoptrace(['--db', db, 'endpoints', '--json']);
    expect(JSON.parse(endpoints.stdout)).toEqual([
      { rail: 'ethereum', ident: '0x08723392Ed15743cc38513C4925f5e6be5c17243', categories: ['sanctioned'], labels: ['Lazarus Group'] },
      {
        rail: 'tron',
        ident: 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi',
        categories: ['exchange'],
        labels: ['Binance, hot wallet 2 (exchange reply)', 'Binance-Hot 2'],
      },
    ]);
    expect(JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout).tags).toBe(4);
  });

  it('fails clearly: malformed YAML, unknown category, bad checksum, unknown format — nothing stored', () => {
    const db = join(tempDir(), 'case.db');
    const yaml = hoptrace(['--db', db, 'ingest', 'tags', join(MADE, 'bad-yaml.yaml')]);
    expect(yaml.status).toBe(1);
    expect(yaml.stderr).toContain(`hoptrace: ${join(MADE, 'bad-yaml.yaml')}:6: YAML: Nested mappings are not allowed in compact mappings`);
    const category = hoptrace(['--db', db, 'ingest', 'tags', join(MADE, 'unknown-category.yaml')]);
    expect(category.status).toBe(1);
    expect(category.stderr).toContain(`${join(MADE, 'unknown-category.yaml')}:11: unknown category "space_pirate"`);
    const checksum = hoptrace(['--db', db, 'ingest', 'tags', join(MADE, 'bad-checksum.csv')]);
    expect(checksum.status).toBe(1);
    expect(checksum.stderr).toContain(`${join(MADE, 'bad-checksum.csv')}:3: address "TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSj": bad base58check checksum`);
    const unknown = hoptrace(['--db', db, 'ingest', 'tags', join(ROOT, 'package.json')]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown tag format');
    // Nothing stored, and no case file made (docs/cli.md, "The case file").
    expect(existsSync(db)).toBe(false);
  });

  it("exports the case's own tags as a TagPack that reads back", () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    expect(hoptrace(['--db', db, 'ingest', 'tags', join(MADE, 'tags.csv'), join(PACKS, 'tornado_cash.yaml')]).status).toBe(0);
    const out = join(dir, 'case-tags.yaml');
    const exported = hoptrace(['--db', db, 'export', '--format', 'tagpack', '--out', out]);
    expect(exported.status).toBe(0);
    expect(exported.stderr).toBe(`${out}: 3 tags (1 bank-account tags left out: TagPacks describe crypto addresses)\n`);
    const back = join(dir, 'back.db');
    expect(hoptrace(['--db', back, 'ingest', 'tags', out]).status).toBe(0);
    expect(tagsOf(back).map((t) => [t.rail, t.ident, t.category, t.label, t.confidence])).toEqual([
      ['ethereum', '0x08723392Ed15743cc38513C4925f5e6be5c17243', 'sanctioned', 'Lazarus Group', 60],
      ['tron', 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'exchange', 'Binance, hot wallet 2 (exchange reply)', 90],
      ['tron', 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'exchange', 'Binance-Hot 2', 70],
    ]);
  });
});
