import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MultiDirectedGraph } from 'graphology';
import type { SerializedGraph } from 'graphology-types';

/** Loads an exported file the way a graphology user would: the options it declares, then import(). */
function load(path: string): MultiDirectedGraph {
  const json = JSON.parse(readFileSync(path, 'utf8')) as SerializedGraph;
  expect(json.options).toEqual({ type: 'directed', multi: true, allowSelfLoops: true });
  const graph = new MultiDirectedGraph(json.options);
  graph.import(json);
  return graph;
}
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { NEO4J_EDGE_HEADER, NEO4J_NODE_HEADER } from '../../src/export/graph/neo4j.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { countElements, parseXmlDocument } from '../support/xmlParse.js';

/** The demo's OTC return (samples/links/golden-lotus-otc-return.csv): five invoices, each paid out in USDT at 1.08. */
const LINKS = 5;
const HOSTILE = `<script>alert("x")</script> & 'quotes' \u0001 ]]>`;
let dir: string;
let db: string;
let trace: TraceResult;
let traceFile: string;

beforeAll(() => {
  dir = tempDir();
  expect(hoptrace(['demo', '--out', join(dir, 'demo')]).status).toBe(0);
  db = join(dir, 'demo', 'case.db');
  traceFile = join(dir, 'demo', 'trace-fifo.json');
  trace = JSON.parse(readFileSync(traceFile, 'utf8')) as TraceResult;
  // A hostile label (markup, quotes, a control character) and a spreadsheet formula, on a wallet of the trace.
  const tags = join(dir, 'hostile.csv');
  const wallet = trace.held[0]!;
  writeFileSync(
    tags,
    `chain,address,category,label\n${wallet.rail},${wallet.ident},scam_operator,"${HOSTILE.replace(/"/g, '""')}"\n${wallet.rail},${wallet.ident},mule,=HYPERLINK("http://x")\n`,
  );
  expect(hoptrace(['--db', db, 'ingest', 'tags', tags]).status).toBe(0);
});

function exportTo(format: string, file: string, ...extra: string[]): string {
  const out = join(dir, file);
  const run = hoptrace(['--db', db, 'export', '--format', format, '--out', out, ...extra]);
  expect(run.stderr).toMatch(new RegExp(`${format}, \\d+ nodes, \\d+ edges`));
  expect(run.status).toBe(0);
  return out;
}

describe('graph exports of a trace', () => {
  const accountsOnTrace = (): Set<string> => new Set(trace.edges.flatMap((e) => [`${e.rail}:${e.from}`, `${e.rail}:${e.to}`]));

  it('graphology JSON loads back: one node per account on the trace, one edge per transfer that carried traced money', () => {
    const graph = load(exportTo('graphology', 'trace.json', '--trace', traceFile));
    expect(graph.type).toBe('directed');
    expect(graph.multi).toBe(true);
    expect(graph.order).toBe(accountsOnTrace().size);
    expect(graph.size).toBe(trace.edges.length + LINKS);
    const first = trace.edges[0]!;
    expect(graph.getEdgeAttributes(`t${first.transfer}`)).toMatchObject({
      ref: first.ref,
      amount: first.amount,
      traced: first.traced,
      hop: first.hop,
      asset: first.asset,
    });
    const sanctioned = trace.endpoints.find((e) => e.category === 'sanctioned')!;
    expect(graph.getNodeAttributes(`tron:${sanctioned.ident}`)).toMatchObject({ categories: ['sanctioned'], tracedIn: { USDT: sanctioned.amount } });
  });

  it('at cluster level, a node stands for its whole cluster and carries the traced money paid into it from outside', () => {
    const graph = load(exportTo('graphology', 'trace-clusters.json', '--trace', traceFile, '--level', 'cluster'));
    // The clusters as the case holds them, read apart from the export.
    const clusterOf = new Map<string, number>();
    const sizes = new Map<number, number>();
    const cases = new Database(db, { readonly: true });
    try {
      for (const [rail, ident, cluster] of cases
        .prepare('SELECT a.rail, a.ident, c.cluster_id FROM clusters c JOIN accounts a ON a.id = c.account_id')
        .raw()
        .all() as [string, string, number][]) {
        clusterOf.set(`${rail}:${ident}`, cluster);
        sizes.set(cluster, (sizes.get(cluster) ?? 0) + 1);
      }
    } finally {
      cases.close();
    }
    const nodeOf = (rail: string, ident: string): string => {
      const cluster = clusterOf.get(`${rail}:${ident}`);
      return cluster === undefined ? `${rail}:${ident}` : `cluster:${cluster}`;
    };
    const expected = new Map<string, Map<string, bigint>>();
    for (const e of trace.edges) {
      const [from, to] = [nodeOf(e.rail, e.from), nodeOf(e.rail, e.to)];
      if (from === to) continue;
      const byAsset = expected.get(to) ?? new Map<string, bigint>();
      byAsset.set(e.asset, (byAsset.get(e.asset) ?? 0n) + BigInt(e.traced.replace('.', '')));
      expected.set(to, byAsset);
    }
    const clustered = graph.nodes().filter((key) => key.startsWith('cluster:'));
    expect(clustered.length).toBeGreaterThan(0);
    let withMoney = 0;
    graph.forEachNode((key, attributes) => {
      const units = Object.fromEntries(
        Object.entries(attributes['tracedIn'] as Record<string, string>).map(([asset, text]) => [asset, BigInt(text.replace('.', ''))]),
      );
      expect(units, key).toEqual(Object.fromEntries(expected.get(key) ?? new Map()));
      if (Object.keys(units).length > 0) withMoney++;
      if (key.startsWith('cluster:')) expect(attributes['size'], key).toBe(sizes.get(Number(key.slice('cluster:'.length))));
    });
    // Before, every node of a cluster-level trace export had tracedIn {} and counted only its accounts on the trace.
    expect(withMoney).toBeGreaterThan(0);
    expect(clustered.some((key) => (graph.getNodeAttribute(key, 'size') as number) > 1)).toBe(true);
  });

  it('GraphML and GEXF parse with a conformant XML parser, use only declared keys, and read back hostile labels as text', () => {
    const graphml = readFileSync(exportTo('graphml', 'trace.graphml', '--trace', traceFile), 'utf8');
    const parsed = parseXmlDocument(graphml);
    const elements = countElements(parsed);
    expect(parsed[0]!.uri).toBe('http://graphml.graphdrawing.org/xmlns');
    expect(elements.get('node')).toBe(accountsOnTrace().size);
    expect(elements.get('edge')).toBe(trace.edges.length + LINKS);
    // 8 node keys, 8 transfer keys, kind, and the 13 attributes of a conversion edge.
    expect(elements.get('key')).toBe(30);
    const declared = new Set(parsed.filter((e) => e.name === 'key').map((e) => e.attributes['id']));
    const used = parsed.filter((e) => e.name === 'data').map((e) => e.attributes['key']);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((key) => !declared.has(key))).toEqual([]);
    // The parser decodes the escapes: a tool reads the label as text (the control character replaced), never as markup.
    const shown = HOSTILE.replace('\u0001', '\ufffd');
    expect(parsed.filter((e) => e.name === 'data' && e.attributes['key'] === 'n_labels' && e.text === `=HYPERLINK("http://x"); ${shown}`)).toHaveLength(1);
    expect(graphml).not.toContain('<script>');
    const gexf = readFileSync(exportTo('gexf', 'trace.gexf', '--trace', traceFile), 'utf8');
    const gexfParsed = parseXmlDocument(gexf);
    const gexfElements = countElements(gexfParsed);
    expect(gexfParsed[0]!.uri).toBe('http://gexf.net/1.3');
    expect(gexfElements.get('node')).toBe(accountsOnTrace().size);
    expect(gexfElements.get('edge')).toBe(trace.edges.length + LINKS);
    expect(gexfParsed.filter((e) => e.name === 'edge')[0]!.attributes['start']).toBe(String(trace.edges[0]!.time));
    const attributeIds = new Set(gexfParsed.filter((e) => e.name === 'attribute').map((e) => e.attributes['id']));
    expect(gexfParsed.filter((e) => e.name === 'attvalue' && !attributeIds.has(e.attributes['for'])).length).toBe(0);
    expect(gexfParsed.filter((e) => e.name === 'attvalue' && e.attributes['value'] === `=HYPERLINK("http://x"); ${shown}`)).toHaveLength(1);
  });

  it('the XML checks reject what a graph tool would reject', () => {
    expect(() => parseXmlDocument('<graphml><node></graphml>')).toThrow(/unexpected close tag/);
    expect(() => parseXmlDocument('<graphml><data>a & b</data></graphml>')).toThrow();
    expect(() => parseXmlDocument('<graphml><data>]]></data></graphml>')).toThrow();
    expect(() => parseXmlDocument('<graphml><data>\u0001</data></graphml>')).toThrow();
  });

  it('Neo4j import CSV: exact headers, formulas neutralised', () => {
    const folder = exportTo('neo4j', 'neo4j', '--trace', traceFile);
    const nodes = readFileSync(join(folder, 'nodes.csv'), 'utf8').split('\n');
    const edges = readFileSync(join(folder, 'transfers.csv'), 'utf8').split('\n');
    expect(nodes[0]).toBe(NEO4J_NODE_HEADER);
    expect(NEO4J_NODE_HEADER).toBe('id:ID,rail,ident,label,labels:string[],categories:string[],cluster:long,size:long,:LABEL');
    expect(edges[0]).toBe(':START_ID,:END_ID,ref,seq:long,time:datetime,asset,amount,traced,hop:int,count:long,:TYPE');
    expect(edges.filter((l) => l.endsWith(',TRANSFER'))).toHaveLength(trace.edges.length);
    const hostile = nodes.find((l) => l.includes('HYPERLINK'))!;
    expect(hostile).toContain(`'=HYPERLINK(""http://x"")`);
    expect(hostile).not.toMatch(/(^|,|;)=HYPERLINK/);
  });

  it('STIX 2.1: deterministic UUIDv5 ids, a wallet extension definition, indicators for sanctioned and endpoint wallets', () => {
    const a = readFileSync(exportTo('stix', 'a.stix.json', '--trace', traceFile), 'utf8');
    const b = readFileSync(exportTo('stix', 'b.stix.json', '--trace', traceFile), 'utf8');
    expect(a).toBe(b);
    const bundle = JSON.parse(a) as { type: string; objects: { type: string; id: string; pattern?: string; extension_types?: string[] }[] };
    expect(bundle.type).toBe('bundle');
    for (const o of bundle.objects) expect(o.id).toMatch(/^[a-z-]+--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bundle.objects.find((o) => o.type === 'extension-definition')!.extension_types).toEqual(['new-sco']);
    const chainAccounts = [...accountsOnTrace()].filter((k) => !k.startsWith('bank:'));
    expect(bundle.objects.filter((o) => o.type === 'cryptocurrency-wallet')).toHaveLength(chainAccounts.length);
    const sanctioned = trace.endpoints.find((e) => e.category === 'sanctioned')!;
    expect(bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern)).toContain(`[cryptocurrency-wallet:address = '${sanctioned.ident}']`);
  });
});

describe('graph exports of the whole case', () => {
  it('holds every account and transfer, or sums them per cluster, and streams with --min-amount', () => {
    const info = JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout) as { transfers: number; links: number };
    const whole = load(exportTo('graphology', 'case.json'));
    expect(info.links).toBe(LINKS);
    expect(whole.size).toBe(info.transfers + info.links);
    const big = load(exportTo('graphology', 'big.json', '--min-amount', '10000'));
    expect(big.size).toBeLessThan(info.transfers);
    big.forEachEdge((_e: string, attributes: Record<string, unknown>) => expect(Number(attributes['amount'])).toBeGreaterThanOrEqual(10000));
    // Per asset, as trace and compare take it (docs/tracing.md): EUR from 100, USDT from 5,000, every TRX transfer.
    const perAsset = load(exportTo('graphology', 'per-asset.json', '--min-amount', 'EUR=100,USDT=5000'));
    const kept = new Map<string, number>();
    perAsset.forEachEdge((_e: string, attributes: Record<string, unknown>) => {
      if (attributes['kind'] !== 'transfer') return;
      const asset = String(attributes['asset']);
      kept.set(asset, (kept.get(asset) ?? 0) + 1);
      expect(Number(attributes['amount']), asset).toBeGreaterThanOrEqual(asset === 'EUR' ? 100 : asset === 'USDT' ? 5000 : 0);
    });
    const handle = new Database(db, { readonly: true });
    const expected = new Map(
      (
        handle
          .prepare(
            "SELECT asset, COUNT(*) AS n FROM transfers WHERE NOT ((asset = 'EUR' AND amount < 10000) OR (asset = 'USDT' AND amount < 5000000000)) GROUP BY asset",
          )
          .all() as { asset: string; n: number }[]
      ).map((r) => [r.asset, Number(r.n)]),
    );
    handle.close();
    expect(kept).toEqual(expected);
    expect([...kept.keys()].sort()).toEqual(['EUR', 'TRX', 'USDT']);
    // More decimals than an asset has are refused, as by trace (0.0000001 was taken as 0).
    expect(hoptrace(['--db', db, 'export', '--format', 'graphml', '--min-amount', '0.0000001', '--out', join(dir, 'tiny.graphml')]).status).toBe(1);
    const clusters = countElements(parseXmlDocument(readFileSync(exportTo('graphml', 'clusters.graphml', '--level', 'cluster'), 'utf8')));
    expect(clusters.get('edge')).toBeLessThanOrEqual(info.transfers);
  });
});

describe('a failed export writes nothing', () => {
  it('an option refused late, or a trace of another case: no file, no folder, an earlier export left as it was', () => {
    const out = tempDir();
    const kept = join(out, 'keep.gexf');
    expect(hoptrace(['--db', db, 'export', '--format', 'gexf', '--out', kept]).status).toBe(0);
    const before = readFileSync(kept);
    const badAmount = hoptrace(['--db', db, 'export', '--format', 'gexf', '--min-amount', 'abc', '--out', kept]);
    expect(badAmount.status).toBe(1);
    expect(badAmount.stderr).toBe(
      'hoptrace: --min-amount "abc": EUR: amount "abc": not a number — EUR has 2 decimal places; write e.g. --min-amount 2000 or --min-amount EUR=500,USDT=600\n',
    );
    expect(readFileSync(kept)).toEqual(before);
    // Options that select from the whole case are refused with a trace, not left unused.
    const withTrace = hoptrace(['--db', db, 'export', '--format', 'gexf', '--trace', traceFile, '--min-amount', '5', '--out', kept]);
    expect(withTrace.status).toBe(1);
    expect(withTrace.stderr).toContain('--min-amount selects from the whole case, not from --trace');
    expect(hoptrace(['--db', db, 'export', '--format', 'gexf', '--trace', traceFile, '--clusters', '--out', kept]).stderr).toContain(
      '--clusters selects from the whole case, not from --trace',
    );
    expect(readFileSync(kept)).toEqual(before);
    expect(hoptrace(['--db', db, 'export', '--format', 'graphml', '--min-amount', '-1', '--out', join(out, 'new.graphml')]).status).toBe(1);
    expect(hoptrace(['--db', db, 'export', '--format', 'neo4j', '--min-amount', 'x', '--out', join(out, 'neo')]).status).toBe(1);
    // A trace that names accounts this case does not hold.
    const other = join(out, 'other.json');
    writeFileSync(other, JSON.stringify({ ...trace, edges: trace.edges.map((e) => ({ ...e, from: `${e.from}x` })) }));
    const foreign = hoptrace(['--db', db, 'export', '--format', 'graphml', '--trace', other, '--out', join(out, 'trace.graphml')]);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain('which this case file does not hold');
    expect(readdirSync(out).sort()).toEqual(['keep.gexf', 'other.json']);
  });
});

describe('export options', () => {
  it('a format or level that is not among the choices is a usage error, exit 2 (it was exit 1)', () => {
    const out = tempDir();
    for (const args of [
      ['--format', 'GraphML', '--out', join(out, 'a.graphml')],
      ['--format', 'graphml', '--level', 'x', '--out', join(out, 'a.graphml')],
    ]) {
      const run = hoptrace(['--db', db, 'export', ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(/^error: option '--(format|level) <(format|level)>' argument '(GraphML|x)' is invalid\. Allowed choices are /);
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it("a TagPack is the case's own tags: the graph options are refused, not ignored", () => {
    const out = tempDir();
    for (const [option, ...values] of [['--trace', traceFile], ['--clusters'], ['--min-amount', '5'], ['--level', 'cluster']] as const) {
      const run = hoptrace(['--db', db, 'export', '--format', 'tagpack', option, ...values, '--out', join(out, 'tags.yaml')]);
      expect(run.status, option).toBe(1);
      expect(run.stderr).toBe(
        `hoptrace: ${option} is not an option of --format tagpack: a TagPack holds the case's own tags, all of them — leave ${option} out, or export a graph format\n`,
      );
    }
    expect(readdirSync(out)).toEqual([]);
    expect(hoptrace(['--db', db, 'export', '--format', 'tagpack', '--out', join(out, 'tags.yaml')]).status).toBe(0);
  });
});
