import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MultiDirectedGraph } from 'graphology';
import type { SerializedGraph } from 'graphology-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { NEO4J_CONVERSION_HEADER } from '../../src/export/graph/neo4j.js';
import type { TraceResult } from '../../src/model/trace.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { parseXmlDocument } from '../support/xmlParse.js';

/**
 * Links are edges: the demo's OTC desk (Golden Lotus Trading GmbH, bank DE80700700100777888999)
 * paid each invoice out in USDT from its hot wallet TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo at 1.08 USDT
 * per euro (samples/README.md). Without a conversion edge per link, a trace export falls apart into
 * a bank graph and two chain graphs and no victim's euros reach any USDT.
 */
const OTC_BANK = 'bank:DE80700700100777888999';
const OTC_WALLET = 'tron:TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo';
/** samples/links/golden-lotus-otc-return.csv and the invoice payments of the mule statements. */
const INVOICES: [string, string, string][] = [
  ['GL-INV-4471', '24000.00', '25920.000000'],
  ['GL-INV-4480', '16000.00', '17280.000000'],
  ['GL-INV-4490', '12000.00', '12960.000000'],
  ['GL-INV-4502', '20000.00', '21600.000000'],
  ['GL-INV-4510', '17500.00', '18900.000000'],
];

let dir: string;
let db: string;
let traceFile: string;
let trace: TraceResult;

beforeAll(() => {
  dir = tempDir();
  expect(hoptrace(['demo', '--out', join(dir, 'demo'), '--no-timestamp']).status).toBe(0);
  db = join(dir, 'demo', 'case.db');
  traceFile = join(dir, 'demo', 'trace-fifo.json');
  trace = JSON.parse(readFileSync(traceFile, 'utf8')) as TraceResult;
});

function load(path: string): MultiDirectedGraph {
  const json = JSON.parse(readFileSync(path, 'utf8')) as SerializedGraph;
  const graph = new MultiDirectedGraph(json.options);
  graph.import(json);
  return graph;
}

function exportTo(file: string, ...args: string[]): string {
  const out = join(dir, file);
  const run = hoptrace(['--db', db, 'export', '--out', out, ...args]);
  expect(run.status, run.stderr).toBe(0);
  return out;
}

/** Every node reachable from `start` along directed edges. */
function reachable(next: (node: string) => string[], start: string): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) for (const n of next(queue.shift()!)) if (!seen.has(n)) seen.add(n), queue.push(n);
  return seen;
}

/** Per victim account, the accounts where the trace says their money ended (endpoints and freeze candidates). */
function reachedByVictim(): Map<string, Set<string>> {
  const victimOf = new Map(trace.seeds.map((s) => [s.id, `${s.rail}:${s.from}`]));
  const out = new Map<string, Set<string>>();
  for (const item of [...trace.endpoints, ...trace.held]) {
    for (const seed of Object.keys(item.bySeed)) {
      const victim = victimOf.get(seed)!;
      const set = out.get(victim) ?? new Set<string>();
      set.add(`${item.rail}:${item.ident}`);
      out.set(victim, set);
    }
  }
  return out;
}

describe('conversion edges in graph exports', () => {
  it("the demo's trace export, loaded into graphology, connects every victim to every account their money reached", () => {
    const graph = load(join(dir, 'demo', 'trace-fifo.graphology.json'));
    const expected = reachedByVictim();
    expect(expected.size).toBe(6);
    // The bank victims' money reaches USDT wallets (the trace says so), which only a conversion edge can connect.
    expect([...expected.get('bank:DE68500105174417320965')!].some((k) => k.startsWith('tron:'))).toBe(true);
    for (const [victim, ends] of expected) {
      const seen = reachable((n) => graph.outNeighbors(n), victim);
      expect(
        [...ends].filter((end) => !seen.has(end)),
        `unreachable from ${victim}`,
      ).toEqual([]);
    }
  });

  it('one conversion edge per link, fiat recipient → crypto sender, with both references, amounts, assets, the exact rate and the traced share per victim', () => {
    const graph = load(join(dir, 'demo', 'trace-fifo.graphology.json'));
    const conversions = graph.filterEdges((_e, a) => a['kind'] === 'conversion');
    expect(conversions).toHaveLength(INVOICES.length);
    for (const [ref, eur, usdt] of INVOICES) {
      const key = conversions.find((e) => graph.getEdgeAttribute(e, 'fiatRef') === ref)!;
      expect(graph.source(key)).toBe(OTC_BANK);
      expect(graph.target(key)).toBe(OTC_WALLET);
      const a = graph.getEdgeAttributes(key);
      expect(a).toMatchObject({ fiatAmount: eur, fiatAsset: 'EUR', cryptoAmount: usdt, cryptoAsset: 'USDT', rate: '1.08', rateFraction: '27/25' });
      expect(a['cryptoRef']).toMatch(/^[0-9a-f]{64}$/);
      // At 1.08 exactly, each victim's traced euros become exactly 1.08 times as many USDT.
      const fiat = trace.edges.find((e) => e.ref === ref && e.outcome === 'linked')!;
      expect(a['fiatTraced']).toBe(fiat.traced);
      const bySeed = a['tracedBySeed'] as Record<string, string>;
      expect(Object.keys(bySeed).sort()).toEqual(Object.keys(fiat.bySeed).sort());
      for (const [seed, cents] of Object.entries(fiat.bySeed))
        expect(BigInt(bySeed[seed]!.replace('.', ''))).toBe((BigInt(cents.replace('.', '')) * 108n * 10_000n) / 100n);
      const byVictim = a['tracedByVictim'] as Record<string, string>;
      expect(Object.keys(byVictim).every((k) => k.startsWith('bank:'))).toBe(true);
    }
  });

  it('GraphML of the trace: the same links, and every bank victim reaches USDT endpoints through them', () => {
    const parsed = parseXmlDocument(readFileSync(exportTo('trace.graphml', '--format', 'graphml', '--trace', traceFile), 'utf8'));
    const edges = parsed.filter((e) => e.name === 'edge');
    const out = new Map<string, string[]>();
    for (const e of edges) out.set(e.attributes['source']!, [...(out.get(e.attributes['source']!) ?? []), e.attributes['target']!]);
    const kinds = parsed.filter((e) => e.name === 'data' && e.attributes['key'] === 'e_kind').map((e) => e.text);
    expect(kinds.filter((k) => k === 'conversion')).toHaveLength(INVOICES.length);
    expect(parsed.filter((e) => e.name === 'data' && e.attributes['key'] === 'e_rate').map((e) => e.text)).toEqual(INVOICES.map(() => '1.08'));
    for (const [victim, ends] of reachedByVictim()) {
      const seen = reachable((n) => out.get(n) ?? [], victim);
      expect(
        [...ends].filter((end) => !seen.has(end)),
        `unreachable from ${victim}`,
      ).toEqual([]);
    }
  });

  it('--level cluster keeps the links between the nodes that stand for their accounts', () => {
    const graph = load(exportTo('trace-clusters.json', '--format', 'graphology', '--trace', traceFile, '--level', 'cluster'));
    const conversions = graph.filterEdges((_e, a) => a['kind'] === 'conversion');
    expect(conversions).toHaveLength(INVOICES.length);
    for (const e of conversions) expect(graph.source(e)).toBe(OTC_BANK);
    // Where the trace names a cluster, the cluster's node stands for the account.
    const nodeOf = new Map(
      [...trace.endpoints, ...trace.held].map((i) => [`${i.rail}:${i.ident}`, i.cluster === undefined ? `${i.rail}:${i.ident}` : `cluster:${i.cluster}`]),
    );
    expect([...nodeOf.values()].some((k) => k.startsWith('cluster:'))).toBe(true);
    for (const [victim, ends] of reachedByVictim()) {
      const seen = reachable((n) => graph.outNeighbors(n), nodeOf.get(victim) ?? victim);
      expect(
        [...ends].map((end) => nodeOf.get(end)!).filter((node) => !seen.has(node)),
        `unreachable from ${victim}`,
      ).toEqual([]);
    }
  });

  it('Neo4j: conversions.csv with its own header and one CONVERSION row per link', () => {
    const folder = exportTo('neo4j', '--format', 'neo4j', '--trace', traceFile);
    const lines = readFileSync(join(folder, 'conversions.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(NEO4J_CONVERSION_HEADER);
    expect(NEO4J_CONVERSION_HEADER).toBe(
      ':START_ID,:END_ID,fiatRef,fiatTime:datetime,fiatAmount,fiatAsset,cryptoRef,cryptoTime:datetime,cryptoAmount,cryptoAsset,rate,rateFraction,fiatTraced,traced,tracedBySeed,tracedByVictim,hop:int,count:long,:TYPE',
    );
    expect(lines.slice(1)).toHaveLength(INVOICES.length);
    for (const line of lines.slice(1)) {
      expect(line.startsWith(`${OTC_BANK},${OTC_WALLET},GL-INV-`)).toBe(true);
      expect(line.endsWith(',CONVERSION')).toBe(true);
      expect(line).toContain(',EUR,');
      expect(line).toContain(',1.08,27/25,');
    }
  });

  it('STIX: the bank accounts are objects and each link is a relationship from the bank account to the wallet', () => {
    const bundle = JSON.parse(readFileSync(exportTo('trace.stix.json', '--format', 'stix', '--trace', traceFile), 'utf8')) as {
      objects: Record<string, unknown>[];
    };
    const bank = bundle.objects.find((o) => o['type'] === 'bank-account' && o['iban'] === OTC_BANK.slice(5))!;
    const wallet = bundle.objects.find((o) => o['type'] === 'cryptocurrency-wallet' && o['address'] === OTC_WALLET.slice(5))!;
    const links = bundle.objects.filter((o) => o['type'] === 'relationship' && o['x_hoptrace_conversion'] !== undefined);
    expect(links).toHaveLength(INVOICES.length);
    for (const l of links) expect([l['source_ref'], l['target_ref']]).toEqual([bank['id'], wallet['id']]);
    expect(bundle.objects.filter((o) => o['type'] === 'bank-account').length).toBe(
      new Set(trace.edges.filter((e) => e.rail === 'bank').flatMap((e) => [e.from, e.to])).size,
    );
  });

  it('the whole-case export carries every link of the case, at account and at cluster level', () => {
    for (const level of ['account', 'cluster']) {
      const graph = load(exportTo(`case-${level}.json`, '--format', 'graphology', '--level', level));
      const conversions = graph.filterEdges((_e, a) => a['kind'] === 'conversion');
      expect(conversions.map((e) => graph.getEdgeAttribute(e, 'fiatRef')).sort()).toEqual(INVOICES.map(([ref]) => ref));
      for (const e of conversions) expect(graph.getEdgeAttributes(e)).toMatchObject({ rate: '1.08', tracedBySeed: null });
    }
  });
});
