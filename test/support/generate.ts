import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
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
