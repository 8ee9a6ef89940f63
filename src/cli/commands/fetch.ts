import type { Parent } from '../options.js';
import { fetchEvmCommand } from './fetchEvm.js';
import { fetchTronCommand } from './fetchTron.js';

/** `hoptrace fetch evm|tron`: live fetches, one subcommand per kind of node. */
export function fetchCommand(program: Parent): void {
  const fetch = program
    .command('fetch')
    .description('fetch USDT transfers live from an Ethereum JSON-RPC node or a TronGrid-compatible API (resumable)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace fetch evm --rpc http://127.0.0.1:8545 --address 0x28C6c06298d514Db089934071355E5743bf21d60\n  $ HOPTRACE_TRONGRID_KEY=your-key hoptrace fetch tron --api https://api.trongrid.io --address TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx\n',
    );
  for (const register of [fetchEvmCommand, fetchTronCommand]) register(fetch);
}
