import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RuleName, TraceResult } from '../model/trace.js';
import { ingestBankFiles } from '../ingest/ingestBank.js';
import { ingestLinksFiles } from '../ingest/ingestLinks.js';
import { ingestTagFiles } from '../ingest/ingestTags.js';
import { ingestNativeFiles } from '../ingest/ingestNative.js';
import { clusterCase } from '../cluster/clusterCase.js';

import { ingestUsdtFiles } from '../ingest/ingestUsdt.js';
import { openCaseDb, type Db } from '../store/caseStore.js';
import { traceCase } from '../trace/traceCase.js';
import { exportGraph } from '../export/graph/exportGraph.js';
import { writeReport } from '../report/writeReport.js';
import { prepareDemoOut } from './outDir.js';
import { traceAccountKeys } from '../report/reportModel.js';
import { selectCaseNames } from '../store/caseNames.js';
import { packageRoot, samplesDir } from './samplesDir.js';

export interface DemoOptions {
  /** Output folder (default ./hoptrace-demo): new, empty, or written by an earlier demo run. */
  out: string;
  /** Leave the date out of reports, so two runs give byte-identical files. */
  timestamp?: boolean;
  log?: (line: string) => void;
}

export interface DemoResult {
  out: string;
  caseFile: string;
  files: string[];
  traces: Record<string, TraceResult>;
}

/** The victims' own accounts: every outgoing payment of each is a seed. */
export const DEMO_SEEDS = [
  'account:DE68500105174417320965', // Anna Becker
  'account:DE94370400440532013007', // Jonas Weber
  'account:GB29NWBK60161331926819', // Margaret Hughes
  'account:GB60BARC20000055779911', // David Clarke
  'account:NL45INGB0004123456', // Sanne de Vries
  'account:0x090fa40851205443ebe9625ebc941ad9cf93162c', // Robert Chen's wallet
];

/** Every file the demo writes into its folder (the marker lists them: see outDir.ts). */
const DEMO_FILES = [
  'case.db',
  'clusters.json',
  ...['fifo', 'libr'].flatMap((r) => [`trace-${r}.json`, `report-${r}.html`, `report-${r}.md`]),
  'trace-fifo.graphology.json',
];

/** Builds the demo case from samples/, traces it, and writes what an investigator would hand on. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? (() => undefined);
  const samples = samplesDir();
  const at = (...parts: string[]): string => join(samples, ...parts);
  prepareDemoOut(options.out, DEMO_FILES);
  const caseFile = join(options.out, 'case.db');
  const files: string[] = [caseFile];
  const db = openCaseDb(caseFile);
  try {
    await ingestCase(db, at, log);
    const clusters = await clusterCase(db);
    const clustersFile = join(options.out, 'clusters.json');
    writeFileSync(clustersFile, JSON.stringify(clusters, null, 2) + '\n');
    files.push(clustersFile);
    log(`${clusters.clusters.length} clusters, ${clusters.merges.length} merges`);
    const traces: Record<string, TraceResult> = {};
    for (const rule of ['fifo', 'libr'] as RuleName[]) {
      const result = traceCase({ db, casePath: caseFile, seeds: DEMO_SEEDS, options: { rule } });
      traces[rule] = result;
      const path = join(options.out, `trace-${rule}.json`);
      writeFileSync(path, JSON.stringify(result, null, 2) + '\n');
      files.push(path);
      const timestamp = options.timestamp === false ? null : new Date().toISOString();
      for (const format of ['html', 'md'] as const) {
        const report = join(options.out, `report-${rule}.${format}`);
        writeFileSync(report, writeReport(result, format, { timestamp, names: selectCaseNames(db, traceAccountKeys(result)) }));
        files.push(report);
      }
    }
    const graph = join(options.out, 'trace-fifo.graphology.json');
    exportGraph(db, { format: 'graphology', out: graph, trace: traces['fifo']! });
    files.push(graph);
    log(`wrote ${files.map((f) => relative(process.cwd(), f)).join(', ')}`);
    return { out: options.out, caseFile, files, traces };
  } finally {
    db.close();
  }
}

async function ingestCase(db: Db, at: (...parts: string[]) => string, log: (line: string) => void): Promise<void> {
  const mules: [string, string][] = [
    ['mule-kevin-schulz.csv', 'DE29100100100987654321'],
    ['mule-daan-visser.csv', 'NL36INGB0007654321'],
    ['mule-lukas-hoffmann.csv', 'DE73200411330112233445'],
  ];
  for (const [file, account] of mules) await ingestBankFiles(db, [at('bank', file)], { profile: 'generic', account });
  await ingestBankFiles(db, [at('bank', 'victim-sanne-de-vries-ing-nl.csv')]);
  await ingestUsdtFiles(db, [
    at('usdt', 'tron-otc-and-collection.trongrid.json'),
    at('usdt', 'tron-collector-and-peel-chain.tronscan.csv'),
    at('usdt', 'eth-platform-and-collector.etherscan.csv'),
  ]);
  await ingestLinksFiles(db, [at('links', 'golden-lotus-otc-return.csv')]);
  // The shipped OFAC starter list names the sanctioned wallet; the case's own tags name the rest.
  await ingestTagFiles(db, [join(packageRoot(), 'adapters', 'tags', 'starter', 'ofac-sdn-2025-11-19.csv'), at('attribution', 'demo-tags.csv')]);
  await ingestNativeFiles(db, [at('native', 'tron-fee-funding.trongrid.json')]);
  log('case built from samples/');
}
