import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A hand-worked case (docs/design.md, rule 11): a victim pays 10,000 USDT to a scam wallet S,
// which sends 6,000 to a Binance deposit address D of customer 4411 and keeps 4,000. The
// customer account already held 2,000 (an untraced earlier deposit to D). Binance's hot wallet H
// pays out the customer's withdrawals: 5,000 to W1 and 2,500 to W2, each with a 1 USDT fee.
const addr = (byte: string): string => '0x' + byte.repeat(20);
export const tx = (n: number): string => '0x' + n.toString(16).padStart(64, '0');
const V = addr('a1');
const S = addr('b2');
const D = addr('c3');
const U = addr('d4');
const H = addr('e5');
const W1 = addr('f6');
const W2 = addr('17');
const T0 = Date.UTC(2025, 2, 1, 10, 0, 0) / 1000;

function etherscanRow(hash: string, block: number, seconds: number, from: string, to: string, value: string): string {
  const date = new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return [hash, String(block), String(seconds), date, from, to, value, 'N/A', '0xdac17f958d2ee523a2206206994597c13d831ec7', 'Tether USD', 'USDT']
    .map((c) => `"${c}"`)
    .join(',');
}

export function writeExchangeCase(dir: string): { chain: string; ret: string } {
  const header = '"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"';
  const rows = [
    etherscanRow(tx(1), 100, T0, U, D, '2,000'), // untraced earlier deposit
    etherscanRow(tx(2), 200, T0 + 3600, V, S, '10,000'), // the victim's payment (seed)
    etherscanRow(tx(3), 300, T0 + 7200, S, D, '6,000'), // to the deposit address
    etherscanRow(tx(4), 400, T0 + 10800, D, H, '8,000'), // the exchange sweeps D (not the customer's money moving)
    etherscanRow(tx(5), 500, T0 + 14400, H, W1, '5,000'), // withdrawal 1
    etherscanRow(tx(6), 600, T0 + 18000, H, W2, '2,500'), // withdrawal 2
  ];
  const chain = join(dir, 'chain.etherscan.csv');
  writeFileSync(chain, [header, ...rows].join('\n') + '\n');
  const iso = (s: number): string => new Date(s * 1000).toISOString();
  const ret = join(dir, 'binance-return.csv');
  writeFileSync(
    ret,
    [
      'exchange,account,direction,asset,network,amount,fee,address,txid,time,status',
      `Binance,4411,deposit,USDT,ERC20,2000,0,${D},${tx(1)},${iso(T0 + 600)},completed`,
      `Binance,4411,deposit,USDT,ERC20,6000,0,${D},${tx(3)},${iso(T0 + 7800)},completed`,
      `Binance,4411,withdrawal,USDT,ERC20,5000,1,${W1},${tx(5)},${iso(T0 + 14000)},completed`,
      `Binance,4411,withdrawal,USDT,ERC20,2500,1,${W2},${tx(6)},${iso(T0 + 17800)},completed`,
      `Binance,4411,withdrawal,USDT,BSC,100,0.29,0x${'99'.repeat(20)},${tx(99)},${iso(T0 + 19000)},completed`,
      `Binance,4411,withdrawal,USDT,ERC20,300,1,${W2},,${iso(T0 + 20000)},Cancelled`,
    ].join('\n') + '\n',
  );
  return { chain, ret };
}
