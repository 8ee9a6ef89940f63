import type { Parent } from '../options.js';
import { ingestAmlsimCommand } from './ingestAmlsim.js';
import { ingestBankCommand } from './ingestBank.js';
import { ingestBlacklistCommand } from './ingestBlacklist.js';
import { ingestExchangeCommand } from './ingestExchange.js';
import { ingestLinksCommand } from './ingestLinks.js';
import { ingestNativeCommand } from './ingestNative.js';
import { ingestTagsCommand } from './ingestTags.js';
import { ingestUsdtCommand } from './ingestUsdt.js';

/** `hoptrace ingest KIND FILE…`: one subcommand per kind of source, in the order --help lists them. */
export function ingestCommand(program: Parent): void {
  const ingest = program
    .command('ingest')
    .description('read sources into the case file (one transaction per file)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace ingest usdt samples/usdt/eth-platform-and-collector.etherscan.csv\n  $ hoptrace ingest bank samples/bank/mule-kevin-schulz.csv --profile generic --account DE29100100100987654321\n',
    );
  for (const register of [
    ingestUsdtCommand,
    ingestBankCommand,
    ingestTagsCommand,
    ingestNativeCommand,
    ingestAmlsimCommand,
    ingestLinksCommand,
    ingestExchangeCommand,
    ingestBlacklistCommand,
  ])
    register(ingest);
}
