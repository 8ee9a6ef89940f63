import type { TransferAdapter } from '../types.js';
import { etherscanAdapter } from './etherscan.js';
import { rpcLogsAdapter, type RpcLogsOptions } from './rpcLogs.js';
import { tronscanAdapter } from './tronscan.js';
import { trongridAdapter } from './trongrid.js';

export type UsdtFormat = 'etherscan' | 'tronscan' | 'rpc-logs' | 'trongrid';
export type UsdtReadOptions = RpcLogsOptions;

/** Detection order matters: the most specific signatures first. */
export const usdtAdapters: Record<UsdtFormat, TransferAdapter<UsdtReadOptions>> = {
  trongrid: trongridAdapter,
  tronscan: tronscanAdapter,
  'rpc-logs': rpcLogsAdapter,
  etherscan: etherscanAdapter,
};

export const USDT_FORMATS = Object.keys(usdtAdapters) as UsdtFormat[];

export function detectUsdtFormat(head: string): UsdtFormat | undefined {
  return USDT_FORMATS.find((format) => usdtAdapters[format].detect(head));
}
