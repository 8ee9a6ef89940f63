import { Command, Option } from 'commander';
import { toolVersion } from '../version.js';
import type { GlobalOptions } from './context.js';

/**
 * Declares every command. Each action imports its module lazily, so `hoptrace --help` loads
 * commander and nothing else.
 */
export function buildProgram(): Command {
  const program = new Command('hoptrace')
    .description('Follow scam-compound money from victims through mule accounts and USDT hops to where it is laundered.')
    .option('--db <file>', 'case file (SQLite), or a PostgreSQL case: postgres://USER@HOST:PORT/DB; env HOPTRACE_DB', undefined)
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program.addHelpText('after', '\nExamples:\n  $ hoptrace ingest usdt samples/usdt/eth-platform-and-collector.etherscan.csv samples/usdt/tron-otc-and-collection.trongrid.json\n  $ hoptrace --db case.db info --json\n');

  const ingest = program
    .command('ingest')
    .description('read sources into the case file (one transaction per file)')
    .addHelpText('after', '\nExamples:\n  $ hoptrace ingest usdt samples/usdt/eth-platform-and-collector.etherscan.csv\n  $ hoptrace ingest bank samples/bank/mule-kevin-schulz.csv --profile generic --account DE29100100100987654321\n');
  ingest
    .command('usdt')
    .description('USDT transfers: Etherscan CSV, TronScan API JSON/CSV, eth_getLogs JSON, TronGrid JSON')
    .argument('<files...>', 'export files')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'etherscan', 'tronscan', 'rpc-logs', 'trongrid']).default('auto'))
    .option('--token <addr>', 'token contract to keep, or "all" (default: USDT only)')
    .option('--blocks <file>', 'block timestamps for RPC logs without them (JSON)')
    .option('--skip-bad', 'store the good rows, record each bad one (shown by info)', false)
    .option('--quiet', 'no progress or per-file lines', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace ingest usdt samples/usdt/eth-platform-and-collector.etherscan.csv\n  $ hoptrace --db case.db ingest usdt test/fixtures/trongrid-trc20-ledger-live/fetchTronAccountTxsTrc20.fixture.json --format trongrid --skip-bad\n')
    .action(async (files: string[], options) => (await import('./commands/ingestUsdt.js')).runIngestUsdt(globals(), files, options));

  ingest
    .command('bank')
    .description('bank statements: any bank\'s CSV export through a profile, camt.052/053/054 XML, MT940/MT942')
    .argument('<files...>', 'statement files')
    .option('--profile <name|file>', 'built-in profile name, a profile JSON file, camt, mt940[-cp1250|-cp852|-cp1252], or auto', 'auto')
    .option('--account <ident>', 'the statement\'s own account when the file does not say it: IBAN or BANKCODE:NUMBER')
    .option('--sheet <name|n>', 'XLSX statements: the sheet to read (default: the first with the profile\'s header)')
    .option('--skip-bad', 'store the good rows, record each bad one (shown by info)', false)
    .addOption(new Option('--balance <mode>', 'a running-balance break: error (fail the file) or gaps (store every line, record the gap; shown by info)').choices(['error', 'gaps']).default('error'))
    .option('--quiet', 'no progress or per-file lines', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace ingest bank samples/bank/mule-daan-visser.csv --profile generic --account NL36INGB0007654321\n  $ hoptrace ingest bank test/fixtures/ofxstatement-austrian/ing-diba.csv --profile ing-diba-at\n  $ hoptrace ingest bank test/fixtures/camt-genkgo/camt053.v2.minimal.xml test/fixtures/mt940-wolph/jejik/ing.sta --skip-bad --balance gaps\n  $ hoptrace ingest bank test/fixtures/santander-es-xlsx/sample-statement.xlsx --account ES9121000418450200051332\n  $ hoptrace ingest bank test/fixtures/bank2ynab-samples/ie_bank_of_ireland_test_BOI_TransactionExport.csv --profile boi-ie --account IE29AIBK93115212345678 --balance gaps\n  $ hoptrace profiles\n')
    .action(async (files: string[], options) => (await import('./commands/ingestBank.js')).runIngestBank(globals(), files, options));

  program
    .command('profiles')
    .description('the built-in bank profiles (name, country, bank, header signature) and statement formats')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace profiles --json\n')
    .action(async (options) => (await import('./commands/profiles.js')).runProfiles(options));

  ingest
    .command('tags')
    .description('attribution: OFAC lists and SDN XML, GraphSense TagPacks, tag CSVs (chain,address,category,label,confidence,source)')
    .argument('<files...>', 'attribution files')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'ofac', 'tagpack', 'csv']).default('auto'))
    .option('--skip-bad', 'store the good tags, record each bad one (shown by info)', false)
    .option('--quiet', 'no per-file lines', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace ingest tags adapters/tags/starter/ofac-sdn-2025-11-19.csv\n  $ hoptrace ingest tags test/fixtures/ofac-sdn-digital-currency/brave-intl_lists_2025-12-04/sanctioned_addresses_USDT.txt test/fixtures/graphsense-tagpacks/packs/exchange-wallets-binance.yaml samples/attribution/demo-tags.csv\n')
    .action(async (files: string[], options) => {
      await (await import('./commands/tags.js')).runIngestTags(globals(), files, options);
    });

  ingest
    .command('native')
    .description('TRX and ETH transfers (who paid the fees, for clustering): TronGrid transactions pages, Etherscan transactions CSV')
    .argument('<files...>', 'export files')
    .option('--skip-bad', 'store the good rows, record each bad one (shown by info)', false)
    .option('--quiet', 'no per-file lines', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest native samples/native/tron-fee-funding.trongrid.json\n')
    .action(async (files: string[], options) => {
      await (await import('./commands/cluster.js')).runIngestNative(globals(), files, options);
    });

  ingest
    .command('amlsim')
    .description('IBM AMLSim transactions CSV (sourceNodeId,targetNodeId,value,time), for measuring the detectors')
    .argument('<files...>', 'AMLSim transactions files')
    .option('--skip-bad', 'store the good rows, record each bad one', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest amlsim test/fixtures/amlsim-ibm/20K_fanin200cycle200/transactions.part1.csv\n')
    .action(async (files: string[], options) => {
      await (await import('./commands/detect.js')).runIngestAmlsim(globals(), files, options);
    });

  ingest
    .command('links')
    .description('exchange / OTC returns tying a fiat payment to a crypto transfer (CSV fiat_ref,crypto_ref)')
    .argument('<files...>', 'links CSV files')
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest links samples/links/golden-lotus-otc-return.csv\n')
    .action(async (files: string[]) => {
      await (await import('./commands/ingestLinks.js')).runIngestLinks(globals(), files);
    });

  ingest
    .command('exchange')
    .description('exchange returns: deposit and withdrawal history of a customer account (generic layout, Binance, Kraken, Bybit)')
    .argument('<files...>', 'exchange exports')
    .option('--profile <name>', 'generic, binance-deposits, binance-withdrawals, binance-statement, kraken-ledger, bybit-funding, or auto', 'auto')
    .option('--exchange <name>', 'the exchange, when the layout does not say it')
    .option('--account <id>', 'the customer account (User_ID, UID), when the file does not say it')
    .addOption(new Option('--direction <direction>', 'for a history export that does not say it').choices(['deposit', 'withdrawal']))
    .option('--skip-bad', 'store the good rows, record each bad one (shown by info)', false)
    .option('--quiet', 'no per-file lines', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace ingest exchange samples/exchange/exchange-one-return.csv\n  $ hoptrace ingest exchange test/fixtures/binance-withdrawals-metko21neon/binance_withdrawals.csv --profile binance-withdrawals --account 4411\n')
    .action(async (files: string[], options) => (await import('./commands/ingestExchange.js')).runIngestExchange(globals(), files, options));

  program
    .command('exchange-movements')
    .description('deposits and withdrawals of the exchange returns in the case, with the on-chain transfer each was matched to, or why not')
    .option('--unmatched', 'only those the chain data could not match', false)
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace exchange-movements --unmatched\n')
    .action(async (options) => (await import('./commands/ingestExchange.js')).runExchangeMovements(globals(), options));

  ingest
    .command('blacklist')
    .description('Tether USDT freeze events (AddedBlackList, RemovedBlackList, DestroyedBlackFunds): Dune address,time,chain exports or decoded event tables')
    .argument('<files...>', 'event lists')
    .option('--skip-bad', 'store the good rows, record each bad one (shown by info)', false)
    .option('--quiet', 'no per-file lines', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest blacklist test/fixtures/usdt-blacklist-dune-criptoanalyst/usdt_blacklist.csv\n')
    .action(async (files: string[], options) => (await import('./commands/ingestBlacklist.js')).runIngestBlacklist(globals(), files, options));

  program
    .command('status')
    .description('for each wallet where a trace\'s USDT rests: its balance now, whether Tether froze it, and what can still be frozen')
    .argument('<trace>', 'a trace result (hoptrace trace … --out trace.json)')
    .option('--rpc <url>', 'Ethereum JSON-RPC node: balanceOf at the head block and the freeze events')
    .option('--api <url>', 'TronGrid-compatible API: TRC-20 balances (key from env HOPTRACE_TRONGRID_KEY)')
    .option('--from-block <n>', 'first block to read freeze events from (default 0)')
    .option('--confirmations <n>', 'blocks short of the head to read at', '0')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace status trace.json\n  $ hoptrace status trace.json --api https://api.trongrid.io --json\n  $ hoptrace status trace.json --rpc http://127.0.0.1:8545 --from-block 19000000\n')
    .action(async (traceFile: string, options) => {
      await (await import('./commands/status.js')).runStatus(globals(), traceFile, options);
    });

  program
    .command('requests')
    .description('preservation, disclosure and freeze requests from a trace: one letter per exchange, issuer and bank, and requests.csv')
    .argument('<trace>', 'a trace result (hoptrace trace … --out trace.json)')
    .requiredOption('--out <dir>', 'a new or empty folder for the letters')
    .option('--template <dir>', 'your agency\'s templates: service.md, issuer.md, bank.md (default: hoptrace\'s templates/requests/)')
    .option('--status <file>', 'the JSON of hoptrace status for this trace: balances and freezes now')
    .option('--no-timestamp', 'leave the date out (byte-identical letters)')
    .addHelpText('after', '\nExamples:\n  $ hoptrace requests trace.json --out requests\n  $ hoptrace requests trace.json --template templates/requests --out letters --no-timestamp\n')
    .action(async (traceFile: string, options) => {
      await (await import('./commands/requests.js')).runRequests(globals(), traceFile, options);
    });

  const fetch = program
    .command('fetch')
    .description('fetch USDT transfers live from an Ethereum JSON-RPC node or a TronGrid-compatible API (resumable)')
    .addHelpText('after', '\nExamples:\n  $ hoptrace fetch evm --rpc http://127.0.0.1:8545 --address 0x28C6c06298d514Db089934071355E5743bf21d60\n  $ HOPTRACE_TRONGRID_KEY=your-key hoptrace fetch tron --api https://api.trongrid.io --address TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx\n');
  const fetchEvm = fetch
    .command('evm')
    .description('Transfer logs sent or received by each address (eth_getLogs, adaptive block ranges, checkpoints)')
    .requiredOption('--rpc <url>', 'JSON-RPC endpoint (credentials in it are never stored)')
    .requiredOption('--address <addr...>', 'addresses to fetch')
    .option('--token <addr>', 'token contract, or "all" (default: USDT)')
    .option('--from-block <n>', 'first block (default 0)')
    .option('--to-block <n>', 'last block (default: the head minus --confirmations)')
    .option('--confirmations <n>', 'blocks short of the head to stop at, against reorganisations', '12')
    .option('--concurrency <n>', 'requests in flight', '4')
    .addHelpText('after', '\nExamples:\n  $ hoptrace fetch evm --rpc http://127.0.0.1:8545 --address 0x28C6c06298d514Db089934071355E5743bf21d60 --from-block 19000000\n  $ hoptrace --db case.db fetch evm --rpc https://user:pass@node.example/ --address 0x090fa40851205443ebe9625ebc941ad9cf93162c 0x15e676c8b69bcf428547f1a46c3697eec92bad10 --concurrency 8\n');
  withRequestOptions(fetchEvm).action(async (options) => {
    const { address, ...rest } = options as { address: string[] };
    await (await import('./commands/fetch.js')).runFetchEvm(globals(), address, rest);
  });
  const fetchTron = fetch
    .command('tron')
    .description('TRC-20 transfers of each address from TronGrid v1 (fingerprint paging, rate limit, checkpoints); key from env HOPTRACE_TRONGRID_KEY')
    .requiredOption('--api <url>', 'API base URL, e.g. https://api.trongrid.io')
    .requiredOption('--address <addr...>', 'addresses to fetch')
    .option('--token <addr>', 'token contract, or "all" (default: USDT)')
    .option('--min-timestamp <time>', 'from this time (date, UTC time or ms)')
    .option('--max-timestamp <time>', 'up to this time (date, UTC time or ms)')
    .option('--page-size <n>', 'transfers per page (at most 200)', '200')
    .option('--rate <n>', 'requests per second', '5')
    .addHelpText('after', '\nExamples:\n  $ HOPTRACE_TRONGRID_KEY=your-key hoptrace fetch tron --api https://api.trongrid.io --address TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx\n  $ hoptrace --db case.db fetch tron --api https://api.trongrid.io --address TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx --min-timestamp 2024-01-01 --max-timestamp 2024-06-30\n');
  withRequestOptions(fetchTron).action(async (options) => {
    const { address, ...rest } = options as { address: string[] };
    await (await import('./commands/fetch.js')).runFetchTron(globals(), address, rest);
  });

  program
    .command('trace')
    .description('follow victim payments hop by hop under a tracing rule, to endpoints and freeze candidates')
    .argument('<seeds...>', 'tx hash[:logIndex], bank reference, account:IDENT or transfer:ID')
    .addOption(new Option('--rule <rule>', 'tracing rule').choices(['fifo', 'lifo', 'pro-rata', 'libr', 'poison']).default('fifo'))
    .option('--max-hops <n>', 'stop traced money beyond this many hops')
    .option('--min-amount <x>', "stop transfers carrying less traced money than this, in each asset's own units (2000, or EUR=500,USDT=600)")
    .option('--until <time>', 'ignore transfers after this time (date, UTC time or ms)')
    .option('--stop-at-degree <n>', 'treat untagged accounts with more counterparties than this as hubs')
    .option('--compare <rules>', 'with --report: also trace under these rules and add "Sensitivity to the tracing rule"')
    .option('--json', 'print the JSON result', false)
    .option('--out <file>', 'write the JSON result to a file')
    .option('--report <file>', 'also write a report (.html, .md, .csv or .json by extension)')
    .option('--no-timestamp', 'leave the date out of the report')
    .addOption(new Option('--fetch <rail>', 'crawl: fetch each newly reached account live, then trace again').choices(['evm', 'tron']))
    .option('--rpc <url>', 'with --fetch evm: JSON-RPC endpoint')
    .option('--api <url>', 'with --fetch tron: TronGrid-compatible API')
    .option('--max-accounts <n>', 'with --fetch: accounts to fetch at most', '200')
    .option('--token <addr>', 'with --fetch: token contract, or "all" (default: USDT)')
    .option('--from-block <n>', 'with --fetch evm: first block')
    .option('--to-block <n>', 'with --fetch evm: last block')
    .option('--confirmations <n>', 'with --fetch evm: blocks short of the head', '12')
    .option('--concurrency <n>', 'with --fetch evm: requests in flight', '4')
    .option('--quiet', 'with --fetch: no progress on stderr', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace trace account:DE68500105174417320965 --rule libr\n  $ hoptrace trace 0x6a38a1a1197309a225805bde5809315249d3bc15f210c6026b580ed0549bdd17 --max-hops 6 --json --out trace.json\n  $ hoptrace trace account:DE68500105174417320965 --until 2025-03-20 --report trace.html\n  $ hoptrace trace 0x6a38a1a1197309a225805bde5809315249d3bc15f210c6026b580ed0549bdd17 --fetch evm --rpc http://127.0.0.1:8545 --max-hops 8 --max-accounts 100\n')
    .action(async (seeds: string[], options) => {
      await (await import('./commands/trace.js')).runTrace(globals(), seeds, options);
    });

  program
    .command('verify')
    .description('re-hash every recorded source file and check the case file; non-zero exit on any mismatch')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace --db case.db verify\n')
    .action(async (options) => {
      await (await import('./commands/verify.js')).runVerify(globals(), options);
    });

  program
    .command('demo')
    .description('build the demo case from samples/, trace it under FIFO and LIBR, and write reports into ./hoptrace-demo')
    .option('--out <dir>', 'output folder: new, empty, or made by an earlier demo (only its files are replaced)', 'hoptrace-demo')
    .option('--no-timestamp', 'leave the date out of reports (byte-identical runs)')
    .addHelpText('after', '\nExamples:\n  $ hoptrace demo\n  $ hoptrace demo --out golden-lotus --no-timestamp\n')
    .action(async (options) => {
      await (await import('./commands/demo.js')).runDemoCommand(globals(), options);
    });

  program
    .command('report')
    .description('evidence-chain report of a trace: Markdown, self-contained HTML with a flow diagram, JSON, CSV')
    .argument('<traces...>', 'a trace result (hoptrace trace … --out trace.json); more traces of the same seeds under other rules add "Sensitivity to the tracing rule"')
    .addOption(new Option('--format <format>', 'report format (default: from the --out extension)').choices(['md', 'html', 'json', 'csv']))
    .requiredOption('--out <file>', 'output file')
    .option('--no-timestamp', 'leave the date out (byte-identical reports)')
    .option('--pdf <file>', 'also print the HTML report to PDF with headless Chromium (/usr/bin/chromium)')
    .addHelpText('after', '\nNames (holders, tag labels) come from the case file: --db, else the one the trace records.\n\nExamples:\n  $ hoptrace --db case.db report trace-fifo.json --out report.html --no-timestamp\n  $ hoptrace report trace.json --format html --out report.html --pdf report.pdf\n  $ hoptrace report trace.json --format md --out report.md --no-timestamp\n  $ hoptrace report trace.json --out hops.csv\n  $ hoptrace report trace-fifo.json trace-libr.json --out report.md\n')
    .action(async (traceFiles: string[], options) => {
      await (await import('./commands/report.js')).runReport(globals(), traceFiles, options);
    });

  program
    .command('cluster')
    .description('group wallets and accounts of one owner (deposit reuse, common fee funder, sweep collector, bank holder, manual), with the evidence for each merge')
    .option('--heuristics <list>', 'comma-separated: deposit,funder,sweep,bank-holder,manual', 'deposit,funder,sweep,bank-holder')
    .option('--manual <file>', 'CSV a,b,reason (same owner) or a,b,reason,not (never merge)')
    .option('--deposit-epsilon <x>', 'deposit: a deposit address forwards at least 1 − x of each receipt', '0.01')
    .option('--deposit-window <hours>', 'deposit: forwarding window; a deposit address never holds its balance longer', '48')
    .option('--deposit-max-service-share <x>', 'deposit: at most this share of a deposit address\'s receipts may come from services', '0.5')
    .option('--funder-max-fan-out <n>', 'funder: funders of more wallets than this are services (energy rental)', '20')
    .option('--sweep-share <x>', 'sweep: share of its balance a wallet sends to the collector', '0.95')
    .option('--sweep-window <hours>', 'sweep: hours between the receipt and the sweep', '72')
    .option('--sweep-min-wallets <n>', 'sweep: wallets a collector needs', '2')
    .option('--explain <account>', 'print why this account is in its cluster, as a chain of evidence')
    .option('--json', 'print JSON: {params, clusters, merges, conflicts}', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace cluster --json\n  $ hoptrace cluster --heuristics funder,sweep --funder-max-fan-out 10\n  $ hoptrace cluster --explain TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu\n')
    .action(async (options) => {
      await (await import('./commands/cluster.js')).runCluster(globals(), options);
    });

  program
    .command('detect')
    .description('flag laundering shapes: pass-through mules, victim-offender overlap, fan-in, fan-out, cycles, peel chains, sweeps, structuring, address poisoning, inducement payments (docs/detection.md)')
    .option('--typologies <list>', 'comma-separated', 'pass-through,victim-offender-overlap,fan-in,fan-out,cycle,peel-chain,sweep,structuring,address-poisoning,inducement')
    .option('--window <duration>', 'window for every typology (7d, 48h, 90m)', '7d')
    .option('--min-amount <x>', 'ignore transfers smaller than this (main asset units)')
    .option('--fan-k <n>', 'fan-in/out: distinct counterparties', '5')
    .option('--cycle-max-hops <n>', 'cycle: longest round trip', '6')
    .option('--structuring-threshold <x>', 'structuring: the reporting threshold payments stay under', '10000')
    .option('--dust-floor <asset=amount...>', 'transfers below this are dust, read only by address-poisoning (defaults USDT=1 USDC=1 TRX=1 ETH=0.0001)')
    .option('--victims <ident...>', 'accounts known to be victims (besides those tagged victim and payers into tagged mules): never mule findings')
    .option('--seeds <seed...>', 'victim payments (as for trace): their senders are victims, and a FIFO trace from them finds victims passing other victims\' money on')
    .option('--json', 'print JSON: [{typology, accounts, params, evidence, score}]', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace detect --typologies cycle,fan-in --window 30d --json\n  $ hoptrace detect --typologies pass-through,victim-offender-overlap --window 14d --victims DE68500105174417320965\n  $ hoptrace detect --typologies victim-offender-overlap --seeds account:DE68500105174417320965\n  $ hoptrace detect --typologies address-poisoning --dust-floor USDT=0.1\n')
    .action(async (options) => {
      await (await import('./commands/detect.js')).runDetect(globals(), options);
    });

  program
    .command('findings')
    .description('the typology findings stored in the case file')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace findings --json\n')
    .action(async (options) => {
      await (await import('./commands/detect.js')).runFindings(globals(), options);
    });

  program
    .command('tags')
    .description('list attribution tags (every label kept, conflicting ones too)')
    .option('--account <ident>', 'only this account')
    .option('--category <category>', 'only this category')
    .option('--json', 'print JSON: [{rail, ident, category, label, confidence, origin}]', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace tags --category sanctioned --json\n')
    .action(async (options) => {
      await (await import('./commands/tags.js')).runTags(globals(), options);
    });

  program
    .command('endpoints')
    .description('accounts in endpoint categories: where traced money stops')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace endpoints\n')
    .action(async (options) => {
      await (await import('./commands/tags.js')).runEndpoints(globals(), options);
    });

  program
    .command('export')
    .description('export the case, its clusters or a trace for graph tools (graphology, GraphML, GEXF, Neo4j, STIX), or the case\'s own tags as a TagPack')
    .requiredOption('--format <format>', 'graphology | graphml | gexf | neo4j | stix | tagpack')
    .requiredOption('--out <path>', 'output file (a folder for neo4j)')
    .option('--trace <file>', 'export this trace (hoptrace trace --out FILE) instead of the whole case')
    .option('--clusters', 'only accounts in clusters', false)
    .option('--level <level>', 'account | cluster (one node per cluster, edges summed per asset)', 'account')
    .option('--min-amount <x>', 'leave out transfers smaller than this (asset units)')
    .addHelpText('after', '\nExamples:\n  $ hoptrace export --format graphology --out case.json\n  $ hoptrace export --format gexf --trace trace.json --out trace.gexf\n  $ hoptrace export --format neo4j --out neo4j-import/\n  $ hoptrace export --format tagpack --out case-tags.yaml\n')
    .action(async (options) => {
      if (options.format === 'tagpack') await (await import('./commands/tags.js')).runExportTagPack(globals(), options);
      else await (await import('./commands/exportGraph.js')).runExportGraph(globals(), options);
    });

  program
    .command('info')
    .description('what the case file holds: counts, sums per asset, sources with their SHA-256, rejected rows')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace info --json\n')
    .action(async (options) => {
      await (await import('./commands/info.js')).runInfo(globals(), options);
    });

  program
    .command('account')
    .description('what the case knows about one account: balances per asset, counts, first/last, tags with sources, cluster, findings, notes')
    .argument('<ident>', 'IBAN, address, RAIL:IDENT or account:IDENT')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace account DE80700700100777888999\n  $ hoptrace account tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr --json\n')
    .action(async (ident: string, options) => {
      await (await import('./commands/explore.js')).runAccount(globals(), ident, options);
    });

  program
    .command('transfers')
    .description('transfers in time order, a page at a time: of one account, within a period')
    .option('--account <ident>', 'only this account\'s transfers (either side)')
    .option('--from <time>', 'from this time (date, UTC time or ms)')
    .option('--to <time>', 'up to this time (date, UTC time or ms)')
    .option('--limit <n>', 'transfers per page', '50')
    .option('--cursor <next>', 'the next page (printed after a full page)')
    .option('--json', 'print JSON: {transfers, next}', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace transfers --account DE68500105174417320965\n  $ hoptrace transfers --from 2025-03-01 --to 2025-03-31 --limit 20 --json\n')
    .action(async (options) => {
      await (await import('./commands/explore.js')).runTransfers(globals(), options);
    });

  program
    .command('search')
    .description('find accounts (ident prefix, holder name, tag label) and transfers (tx hash, bank reference)')
    .argument('<text>', 'what to look for')
    .option('--json', 'print JSON: {query, accounts, transfers}', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace search Lotus\n  $ hoptrace search DE68 --json\n')
    .action(async (text: string, options) => {
      await (await import('./commands/explore.js')).runSearch(globals(), text, options);
    });

  program
    .command('serve')
    .description('the workbench: the case in the browser (search, account panel, graph, trace) over a local JSON API')
    .option('--port <n>', 'TCP port (0: any free port)', '4317')
    .option('--host <addr>', 'address to listen on (loopback unless you say otherwise)', '127.0.0.1')
    .option('--open', 'open the page in the default browser', false)
    .option('--write', 'allow notes to be written into the case file', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace --db hoptrace-demo/case.db serve\n  $ hoptrace serve --port 8080 --write --open\n')
    .action(async (options) => {
      await (await import('./commands/serve.js')).runServe(globals(), options);
    });

  program
    .command('compare')
    .description('the range of opinion: the same seeds traced under several rules, per victim and per endpoint side by side, the largest spread flagged')
    .argument('<seeds...>', 'tx hash[:logIndex], bank reference, account:IDENT or transfer:ID')
    .option('--rules <list>', 'comma-separated rules', 'fifo,lifo,libr,pro-rata')
    .option('--max-hops <n>', 'stop traced money beyond this many hops')
    .option('--min-amount <x>', "stop transfers carrying less traced money than this, in each asset's own units (2000, or EUR=500,USDT=600)")
    .option('--until <time>', 'ignore transfers after this time (date, UTC time or ms)')
    .option('--stop-at-degree <n>', 'treat untagged accounts with more counterparties than this as hubs')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace compare account:DE68500105174417320965\n  $ hoptrace --db case.db compare account:DE68500105174417320965 --rules fifo,libr --max-hops 6 --min-amount EUR=100,USDT=100 --json\n')
    .action(async (seeds: string[], options) => {
      await (await import('./commands/compare.js')).runCompare(globals(), seeds, options);
    });

  program
    .command('sources')
    .description('every import in the case file: id, path, SHA-256, size, adapter, options, rows, when')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace sources --json\n')
    .action(async (options) => {
      await (await import('./commands/sources.js')).runSources(globals(), options);
    });
  program
    .command('remove-source')
    .description('undo one import: what only that source brought goes; clusters and findings become stale (logged)')
    .argument('<source>', 'source id or path, as hoptrace sources prints it')
    .addHelpText('after', '\nExample:\n  $ hoptrace remove-source 1\n')
    .action(async (which: string) => {
      await (await import('./commands/sources.js')).runRemoveSource(globals(), which);
    });
  program
    .command('log')
    .description('the audit log: every change to the case file, hash-chained (verify checks the chain)')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace log --json\n')
    .action(async (options) => {
      await (await import('./commands/log.js')).runLog(globals(), options);
    });

  return program;
}

/** Options every live fetch takes: how long to wait, how often to retry, what to print. */
function withRequestOptions(command: Command): Command {
  return command
    .option('--timeout <seconds>', 'per request', '30')
    .option('--retries <n>', 'retries of a timed-out, 429 or 5xx request', '5')
    .option('--retry-delay-ms <ms>', 'first backoff (doubles, with jitter)', '500')
    .option('--json', 'print JSON per address', false)
    .option('--quiet', 'no progress on stderr', false);
}
