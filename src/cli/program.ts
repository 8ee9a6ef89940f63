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
    .option('--db <file>', 'case file (SQLite); env HOPTRACE_DB', undefined)
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  const ingest = program.command('ingest').description('read sources into the case file (one transaction per file)');
  ingest
    .command('usdt')
    .description('USDT transfers: Etherscan CSV, TronScan API JSON/CSV, eth_getLogs JSON, TronGrid JSON')
    .argument('<files...>', 'export files')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'etherscan', 'tronscan', 'rpc-logs', 'trongrid']).default('auto'))
    .option('--token <addr>', 'token contract to keep, or "all" (default: USDT only)')
    .option('--blocks <file>', 'block timestamps for RPC logs without them (JSON)')
    .option('--skip-bad', 'store the good rows, record each bad one (shown by info)', false)
    .option('--quiet', 'no progress or per-file lines', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace ingest usdt samples/usdt/etherscan-collector.csv\n  $ hoptrace --db case.db ingest usdt trongrid-page.json --format trongrid --skip-bad\n')
    .action(async (files: string[], options) => (await import('./commands/ingestUsdt.js')).runIngestUsdt(globals(), files, options));

  program
    .command('info')
    .description('what the case file holds: counts, sums per asset, sources with their SHA-256, rejected rows')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExample:\n  $ hoptrace info --json\n')
    .action(async (options) => {
      await (await import('./commands/info.js')).runInfo(globals(), options);
    });

  return program;
}
