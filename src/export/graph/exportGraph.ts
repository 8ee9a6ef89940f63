import { HoptraceError } from '../../model/errors.js';
import type { TraceResult } from '../../model/trace.js';
import { checkTraceCaseFile } from '../../report/traceCaseCheck.js';
import type { Db } from '../../store/caseStore.js';
import { inReadSnapshot } from '../../store/readSnapshot.js';
import { settingsForSortedScan } from '../../store/sortedScan.js';
import { selectCaseAssets } from '../../store/traceLedger.js';
import { minAmountUnits } from '../../trace/minAmount.js';
import {
  iterateGraphTransfers,
  iterateTransferEndAccounts,
  selectAccountIdByIdent,
  selectCaseCreated,
  selectClusterSizes,
  selectGraphAccounts,
  selectGraphLinks,
  selectTransferEndAccounts,
  selectTransferEndIds,
  type GraphAccountRow,
} from '../../store/graphQueries.js';
import { caseConversionEdge, traceConversionEdges } from './conversionEdges.js';
import { GexfWriter } from './gexf.js';
import { GraphmlWriter } from './graphml.js';
import { GraphologyWriter } from './graphology.js';
import { IsoTimes } from './isoTime.js';
import { nodeKey, type GraphEdge, type GraphNode, type GraphWriter } from './model.js';
import { NodeKeys } from './nodeKeys.js';
import { numberText } from '../../model/numberText.js';
import { Neo4jWriter } from './neo4j.js';
import { FileSink } from './sink.js';
import { StixWriter } from './stix.js';

export const GRAPH_FORMATS = ['graphology', 'graphml', 'gexf', 'neo4j', 'stix'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface ExportGraphOptions {
  format: GraphFormat;
  /** A file, or for neo4j a folder. */
  out: string;
  trace?: TraceResult;
  clusters?: boolean;
  level?: 'account' | 'cluster';
  /** Leave out transfers smaller than this (in each asset's units). */
  minAmount?: string;
}

export interface ExportGraphResult {
  nodes: number;
  edges: number;
}

/** The format's writer, and how its files are put in place (commit) or taken away (discard): FileSink. */
function openWriter(format: GraphFormat, out: string): { writer: GraphWriter; commit: () => void; discard: () => void } {
  if (format === 'neo4j') {
    const writer = new Neo4jWriter(out);
    return { writer, commit: () => writer.commit(), discard: () => writer.discard() };
  }
  const sink = new FileSink(out);
  const writer =
    format === 'graphology'
      ? new GraphologyWriter(sink)
      : format === 'graphml'
        ? new GraphmlWriter(sink)
        : format === 'gexf'
          ? new GexfWriter(sink)
          : new StixWriter(sink);
  return { writer, commit: () => sink.commit(), discard: () => sink.discard() };
}

function accountNode(account: GraphAccountRow, tracedIn: Record<string, string> = {}): GraphNode {
  return {
    key: nodeKey(account.rail, account.ident),
    rail: account.rail,
    ident: account.ident,
    label: account.labels[0] ?? account.holder ?? account.ident,
    labels: account.labels,
    categories: account.categories,
    cluster: account.cluster,
    size: 1,
    tracedIn,
  };
}

/** Writes the case, its clusters, or one trace as a graph, streaming edges from the case file. */
export function exportGraph(db: Db, options: ExportGraphOptions): ExportGraphResult {
  if (!(GRAPH_FORMATS as readonly string[]).includes(options.format))
    throw new HoptraceError(`unknown graph format ${JSON.stringify(options.format)}`, { hint: `use one of ${GRAPH_FORMATS.join(', ')}` });
  // Read as the trace reads it (docs/tracing.md, --min-amount), before any file is opened.
  const minUnits = options.minAmount === undefined ? undefined : minAmountUnits(options.minAmount, selectCaseAssets(db));
  const { writer, commit, discard } = openWriter(options.format, options.out);
  let done = false;
  try {
    // Nodes, then edges and links, each a pass of its own over the case: all read in one snapshot
    // of it (docs/case-file.md, "Reading while another process writes"), so that a source another
    // process stores meanwhile is in the export whole or not at all.
    const counts = inReadSnapshot(db, () => {
      const created = selectCaseCreated(db);
      return options.trace
        ? writeTrace(db, writer, options.trace, created, options.level ?? 'account')
        : writeCase(db, writer, created, options.clusters ?? false, options.level ?? 'account', minUnits);
    });
    writer.end();
    commit();
    done = true;
    return counts;
  } finally {
    if (!done) discard();
  }
}

function clusterKeyOf(account: GraphAccountRow): string {
  return account.cluster === null ? nodeKey(account.rail, account.ident) : `cluster:${account.cluster}`;
}

/** Cluster level: one node per cluster (an unclustered account is its own node), edges summed per asset. */
function clusterNodes(accounts: Iterable<GraphAccountRow>): Map<string, GraphNode> {
  const nodes = new Map<string, GraphNode>();
  for (const account of accounts) {
    const key = clusterKeyOf(account);
    const node = nodes.get(key);
    if (!node) {
      nodes.set(key, {
        ...accountNode(account),
        key,
        ...(account.cluster === null ? {} : { rail: account.rail, ident: key, label: account.labels[0] ?? key }),
      });
      continue;
    }
    node.size++;
    for (const label of account.labels) if (!node.labels.includes(label)) node.labels.push(label);
    for (const category of account.categories) if (!node.categories.includes(category)) node.categories.push(category);
  }
  return nodes;
}

/** One transfer between the nodes of two accounts' clusters, before aggregate sums it with the others of its pair and asset. */
function clusterEdge(
  from: GraphAccountRow,
  to: GraphAccountRow,
  time: string,
  asset: string,
  amount: string,
  traced: string | null,
  hop: number | null,
): GraphEdge {
  return { key: '', source: clusterKeyOf(from), target: clusterKeyOf(to), ref: '', seq: 0, time, asset, amount, traced, hop, count: 1, kind: 'transfer' };
}

function aggregate(
  edges: Map<string, GraphEdge & { units: bigint; tracedUnits: bigint; decimals: number }>,
  edge: GraphEdge,
  units: bigint,
  tracedUnits: bigint,
  decimals: number,
): void {
  const key = `${edge.source}>${edge.target}|${edge.asset}`;
  const found = edges.get(key);
  if (!found) {
    edges.set(key, { ...edge, key, ref: '', seq: 0, units, tracedUnits, decimals, count: 1 });
    return;
  }
  found.units += units;
  found.tracedUnits += tracedUnits;
  found.count++;
  if (edge.time > found.time) found.time = edge.time;
}

/** What a whole-case export draws: its title and date, whether only accounts in clusters, and the least amount of a transfer. */
interface CaseScope {
  meta: { title: string; created: string };
  clustersOnly: boolean;
  minUnits: ((asset: string, decimals: number) => bigint | undefined) | undefined;
}

/** The whole case; at cluster level, one node per cluster (an unclustered account is its own node), edges summed per asset. */
function writeCase(
  db: Db,
  writer: GraphWriter,
  created: string,
  clustersOnly: boolean,
  level: 'account' | 'cluster',
  minUnits?: (asset: string, decimals: number) => bigint | undefined,
): ExportGraphResult {
  const scope: CaseScope = { meta: { title: clustersOnly ? 'hoptrace case clusters' : 'hoptrace case', created }, clustersOnly, minUnits };
  // Every transfer in time order through SQLite's sorter, in bounded memory.
  const restoreSettings = settingsForSortedScan(db);
  try {
    return level === 'account' ? writeCaseAccounts(db, writer, scope) : writeCaseClusters(db, writer, scope);
  } finally {
    restoreSettings();
  }
}

/** Cluster level: one node per cluster (an unclustered account is its own node), edges summed per asset. */
function writeCaseClusters(db: Db, writer: GraphWriter, { meta, clustersOnly, minUnits }: CaseScope): ExportGraphResult {
  let accounts = minUnits ? selectGraphAccounts(db, selectTransferEndIds(db, minUnits)) : selectTransferEndAccounts(db);
  if (clustersOnly) accounts = new Map([...accounts].filter(([, a]) => a.cluster !== null));
  writer.begin(meta);
  const nodes = clusterNodes([...accounts.values()]);
  for (const node of [...nodes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) writer.node(node);
  writer.startEdges();
  let edges = 0;
  const summed = new Map<string, GraphEdge & { units: bigint; tracedUnits: bigint; decimals: number }>();
  const times = new IsoTimes();
  for (const t of iterateGraphTransfers(db, minUnits)) {
    const from = accounts.get(t.fromId);
    const to = accounts.get(t.toId);
    if (!from || !to) continue;
    const decimals = t.amount.includes('.') ? t.amount.split('.')[1]!.length : 0;
    aggregate(summed, clusterEdge(from, to, times.format(t.time), t.asset, t.amount, null, null), BigInt(t.stored), 0n, decimals);
  }
  for (const e of [...summed.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    writer.edge(summedEdge(e, null));
    edges++;
  }
  edges += writeCaseLinks(db, writer, (id) => {
    const account = accounts.get(id);
    return account && clusterKeyOf(account);
  });
  return { nodes: nodes.size, edges };
}

/**
 * Account level: a node per account, written as the accounts are read (in id order), then the
 * transfers as edges. Only each node's key is kept for the edges (a string per account, not the
 * account's row with its lists: a third of the memory of a 1,000,000-edge export, and the part
 * that grows with the case; docs/performance.md, "Export").
 */
function writeCaseAccounts(db: Db, writer: GraphWriter, { meta, clustersOnly, minUnits }: CaseScope): ExportGraphResult {
  // Both come in ascending id order, as NodeKeys takes them.
  const accounts = minUnits ? selectGraphAccounts(db, selectTransferEndIds(db, minUnits)).values() : iterateTransferEndAccounts(db);
  writer.begin(meta);
  // Each account's node key made once, not twice per transfer.
  const keyOf = new NodeKeys();
  for (const account of accounts) {
    if (clustersOnly && account.cluster === null) continue;
    const node = accountNode(account);
    keyOf.add(account.id, node.key);
    writer.node(node);
  }
  writer.startEdges();
  let edges = 0;
  const times = new IsoTimes();
  for (const t of iterateGraphTransfers(db, minUnits)) {
    const source = keyOf.get(t.fromId);
    const target = keyOf.get(t.toId);
    if (source === undefined || target === undefined) continue;
    writer.edge({
      key: `t${numberText(t.id)}`,
      source,
      target,
      ref: t.ref,
      seq: t.seq,
      time: times.format(t.time),
      asset: t.asset,
      amount: t.amount,
      traced: null,
      hop: null,
      count: 1,
      kind: 'transfer',
    });
    edges++;
  }
  edges += writeCaseLinks(db, writer, (id) => keyOf.get(id));
  return { nodes: keyOf.size, edges };
}

/** The case's links as conversion edges, between the nodes that stand for their two accounts. */
function writeCaseLinks(db: Db, writer: GraphWriter, nodeOf: (accountId: number) => string | undefined): number {
  let edges = 0;
  for (const link of selectGraphLinks(db)) {
    const from = nodeOf(link.fiat.toId);
    const to = nodeOf(link.crypto.fromId);
    if (from === undefined || to === undefined) continue;
    writer.edge(caseConversionEdge(link, from, to));
    edges++;
  }
  return edges;
}

/** Adds what `edge` carried of traced money, in minor units, to `key`'s sum for its asset. */
function addTraced(sums: Map<string, Map<string, bigint>>, key: string, edge: { asset: string; traced: string }): void {
  const byAsset = sums.get(key) ?? new Map<string, bigint>();
  byAsset.set(edge.asset, (byAsset.get(edge.asset) ?? 0n) + BigInt(edge.traced.replace('.', '')));
  sums.set(key, byAsset);
}

function writeTrace(db: Db, writer: GraphWriter, trace: TraceResult, created: string, level: 'account' | 'cluster'): ExportGraphResult {
  // Tags, clusters and sizes come from the case: only from the trace's own (docs/reports.md, "Names").
  checkTraceCaseFile(db, trace, 'this case file');
  const ids = new Map<string, number>();
  for (const e of trace.edges) {
    for (const ident of [e.from, e.to]) {
      const id = selectAccountIdByIdent(db, e.rail, ident);
      if (id === undefined)
        throw new HoptraceError(`the trace names account ${e.rail}:${ident}, which this case file does not hold`, {
          hint: 'export a trace with the case file it was made from (--db)',
        });
      ids.set(`${e.rail}:${ident}`, id);
    }
  }
  const accounts = selectGraphAccounts(db, ids.values());
  const tracedIn = new Map<string, Map<string, bigint>>();
  for (const e of trace.edges) {
    const key = nodeKey(e.rail, e.to);
    addTraced(tracedIn, key, e);
  }
  const decimalsOf = new Map(trace.edges.map((e) => [e.asset, e.traced.includes('.') ? e.traced.split('.')[1]!.length : 0]));
  const tracedOf = (key: string): Record<string, string> =>
    Object.fromEntries([...(tracedIn.get(key) ?? new Map<string, bigint>())].map(([asset, units]) => [asset, formatUnits(units, decimalsOf.get(asset) ?? 0)]));
  writer.begin({ title: `hoptrace trace (${trace.rule})`, created });
  if (level === 'cluster') {
    const nodes = clusterNodes([...accounts.values()]);
    // A cluster node stands for the whole cluster (docs/exports.md: size), not only its accounts on
    // the trace; and what entered it is the traced money paid into it from outside: a transfer
    // between two of its accounts moves money within it, and would count that money twice.
    const sizes = selectClusterSizes(
      db,
      [...accounts.values()].flatMap((a) => (a.cluster === null ? [] : [a.cluster])),
    );
    const entered = new Map<string, Map<string, bigint>>();
    for (const e of trace.edges) {
      const from = clusterKeyOf(accounts.get(ids.get(`${e.rail}:${e.from}`)!)!);
      const to = clusterKeyOf(accounts.get(ids.get(`${e.rail}:${e.to}`)!)!);
      if (from === to) continue;
      addTraced(entered, to, e);
    }
    for (const node of nodes.values()) {
      if (node.cluster !== null) node.size = sizes.get(node.cluster) ?? node.size;
      node.tracedIn = Object.fromEntries(
        [...(entered.get(node.key) ?? new Map<string, bigint>())].map(([asset, units]) => [asset, formatUnits(units, decimalsOf.get(asset) ?? 0)]),
      );
    }
    for (const node of [...nodes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) writer.node(node);
    writer.startEdges();
    const summed = new Map<string, GraphEdge & { units: bigint; tracedUnits: bigint; decimals: number }>();
    for (const e of trace.edges) {
      const from = accounts.get(ids.get(`${e.rail}:${e.from}`)!)!;
      const to = accounts.get(ids.get(`${e.rail}:${e.to}`)!)!;
      const decimals = decimalsOf.get(e.asset) ?? 0;
      aggregate(
        summed,
        clusterEdge(from, to, e.time, e.asset, e.amount, e.traced, e.hop),
        BigInt(e.amount.replace('.', '')),
        BigInt(e.traced.replace('.', '')),
        decimals,
      );
    }
    let edges = 0;
    for (const e of [...summed.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      writer.edge(summedEdge(e, formatUnits(e.tracedUnits, e.decimals)));
      edges++;
    }
    // Cluster membership stays a node attribute; a link between two clusters stays an edge.
    const clusterOf = (key: string): string => clusterKeyOf(accounts.get(ids.get(key)!)!);
    for (const edge of traceConversionEdges(trace, clusterOf)) {
      writer.edge(edge);
      edges++;
    }
    return { nodes: nodes.size, edges };
  }
  for (const account of [...accounts.values()].sort((a, b) => a.id - b.id)) writer.node(accountNode(account, tracedOf(nodeKey(account.rail, account.ident))));
  writer.startEdges();
  for (const e of trace.edges) {
    writer.edge({
      key: `t${e.transfer}`,
      source: nodeKey(e.rail, e.from),
      target: nodeKey(e.rail, e.to),
      ref: e.ref,
      seq: e.seq,
      time: e.time,
      asset: e.asset,
      amount: e.amount,
      traced: e.traced,
      hop: e.hop,
      count: 1,
      kind: 'transfer',
    });
  }
  const conversions = traceConversionEdges(trace);
  for (const edge of conversions) writer.edge(edge);
  return { nodes: accounts.size, edges: trace.edges.length + conversions.length };
}

/** A summed edge without its working figures (bigints no writer can serialise). */
function summedEdge(e: GraphEdge & { units: bigint; tracedUnits: bigint; decimals: number }, traced: string | null): GraphEdge {
  const { units, tracedUnits: _traced, decimals, ...edge } = e;
  return { ...edge, amount: formatUnits(units, decimals), traced };
}

function formatUnits(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
