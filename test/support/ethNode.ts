import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Interface } from 'ethers';
import ganache from 'ganache';
import solc from 'solc';
import { USDT_ETHEREUM } from '../../adapters/usdt/tokens.js';
import { fixture } from './cli.js';

/**
 * A real Ethereum node (ganache 7, in this process) on 127.0.0.1, with the TetherLike token's
 * runtime code, compiled here by solc-js from test/fixtures/hoptrace-made/contracts, placed at
 * USDT's address. Transactions are sent from ganache's unlocked accounts.
 */
export interface EthNode {
  url: string;
  accounts: string[];
  token: Interface;
  request(method: string, params: unknown[]): Promise<unknown>;
  /** Sends a token call from `from`, mines it, and returns its hash. */
  send(from: string, data: string): Promise<string>;
  mineEmpty(blocks: number): Promise<void>;
  blockNumber(): Promise<number>;
  close(): Promise<void>;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: unknown[]; evm: { deployedBytecode: { object: string } } }>>;
}

let compiled: { abi: unknown[]; runtime: string } | undefined;

export function compileTetherLike(): { abi: unknown[]; runtime: string } {
  if (compiled) return compiled;
  const source = readFileSync(fixture('hoptrace-made', 'contracts', 'TetherLike.sol'), 'utf8');
  const input = {
    language: 'Solidity',
    sources: { 'TetherLike.sol': { content: source } },
    settings: { evmVersion: 'shanghai', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.deployedBytecode.object'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const contract = output.contracts['TetherLike.sol']!['TetherLike']!;
  compiled = { abi: contract.abi, runtime: '0x' + contract.evm.deployedBytecode.object };
  return compiled;
}

export async function startEthNode(accounts = 40, blockGasLimit = 30_000_000): Promise<EthNode> {
  const { abi, runtime } = compileTetherLike();
  const server = ganache.server({
    logging: { quiet: true },
    chain: { chainId: 1337 },
    wallet: { deterministic: true, totalAccounts: accounts, defaultBalance: 1000 },
    miner: { instamine: 'eager', blockGasLimit: '0x' + blockGasLimit.toString(16) },
  });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  const { port } = server.address() as AddressInfo;
  const provider = server.provider;
  const request = (method: string, params: unknown[]): Promise<unknown> => provider.request({ method, params } as never) as Promise<unknown>;
  await request('evm_setAccountCode', [USDT_ETHEREUM, runtime]);
  const list = (await request('eth_accounts', [])) as string[];
  return {
    url: `http://127.0.0.1:${port}`,
    accounts: list,
    token: new Interface(abi as string[]),
    request,
    async send(from, data) {
      const hash = (await request('eth_sendTransaction', [
        { from, to: USDT_ETHEREUM, data, gas: '0x' + Math.floor(blockGasLimit * 0.95).toString(16) },
      ])) as string;
      const receipt = (await request('eth_getTransactionReceipt', [hash])) as { status: string } | null;
      if (!receipt || receipt.status !== '0x1') throw new Error(`transaction ${hash} failed`);
      return hash;
    },
    async mineEmpty(blocks) {
      await request('evm_mine', [{ blocks }]);
    },
    async blockNumber() {
      return Number(BigInt((await request('eth_blockNumber', [])) as string));
    },
    async close() {
      await server.close();
    },
  };
}
