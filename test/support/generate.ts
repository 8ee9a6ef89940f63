import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tronHexToBase58 } from '../../src/model/address.js';
import { prng } from './prng.js';

const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';

/** Writes an Etherscan-shaped token-transfer export of `rows` USDT transfers (deterministic). */
export async function writeEtherscanCsv(path: string, rows: number, seed = 1, addresses = 5000): Promise<{ totalMicro: bigint }> {
  const random = prng(seed);
  const hex = (bytes: number): string => {
    let out = '';
    for (let i = 0; i < bytes; i++)
      out += Math.floor(random() * 256)
        .toString(16)
        .padStart(2, '0');
    return out;
  };
  const pool = Array.from({ length: addresses }, () => '0x' + hex(20));
  const out = createWriteStream(path);
  out.write('"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"\n');
  let totalMicro = 0n;
  for (let i = 0; i < rows; i++) {
    const micro = BigInt(1 + Math.floor(random() * 1e12));
    totalMicro += micro;
    const value = `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
    const time = 1_600_000_000 + i * 13;
    const date = new Date(time * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const from = pool[Math.floor(random() * pool.length)]!;
    const to = pool[Math.floor(random() * pool.length)]!;
    const line = `"0x${hex(32)}","${11_000_000 + i}","${time}","${date}","${from}","${to}","${value}","N/A","${USDT}","Tether USD","USDT"\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { totalMicro };
}

/**
 * Writes TronGrid trc20 pages as a fetch saves them (an array of pages of 200 transfers, one
 * transfer a line, ~330 bytes each) holding `rows` USDT transfers between `addresses` wallets
 * (deterministic; one transfer in ten shares its transaction with the next).
 */
export async function writeTronGridPages(path: string, rows: number, seed = 1, addresses = 5000): Promise<void> {
  const random = prng(seed);
  const hex = (bytes: number): string => {
    let out = '';
    for (let i = 0; i < bytes; i++)
      out += Math.floor(random() * 256)
        .toString(16)
        .padStart(2, '0');
    return out;
  };
  const pool = Array.from({ length: addresses }, () => tronHexToBase58('41' + hex(20)));
  const out = createWriteStream(path);
  out.write('[{"data":[');
  let hash = hex(32);
  for (let i = 0; i < rows; i++) {
    if (i > 0) out.write(i % 200 === 0 ? `],"success":true,"meta":{"at":${i},"page_size":200}},\n{"data":[` : ',');
    if (random() >= 0.1) hash = hex(32);
    const from = pool[Math.floor(random() * pool.length)]!;
    const to = pool[Math.floor(random() * pool.length)]!;
    const item = `\n{"transaction_id":"${hash}","token_info":{"symbol":"USDT","address":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t","decimals":6,"name":"Tether USD"},"block_timestamp":${1_600_000_000_000 + i * 3000},"from":"${from}","to":"${to}","type":"Transfer","value":"${1 + Math.floor(random() * 1e12)}"}`;
    if (!out.write(item)) await once(out, 'drain');
  }
  out.write(`],"success":true,"meta":{"at":${rows},"page_size":200}}]\n`);
  out.end();
  await once(out, 'finish');
}
