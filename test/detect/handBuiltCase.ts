/**
 * A case hoptrace has never seen (invented, written at test time in the real formats it reads):
 * two bank mules, three victims, a Tron peel chain, exchange withdrawals and deposits that look
 * like a round trip, and on Ethereum a victim who buys USDT at an exchange, pays a scam platform,
 * receives a small "profit", pays more, and is spammed with zero-value transfers from a lookalike
 * of the platform's address. Each account's role is in `ROLE`, the truth the tests check against.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCase } from '../../src/detect/detectCase.js';
import { ingestBankFiles } from '../../src/ingest/ingestBank.js';
import { ingestTagFiles } from '../../src/ingest/ingestTags.js';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { canonicalEvmAddress, tronHexToBase58 } from '../../src/model/address.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';

const sha = (label: string): string =>
  createHash('sha256')
    .update('hoptrace-handbuilt:' + label)
    .digest('hex');
function iban(country: string, bban: string): string {
  const digits = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  return country + String(98 - remainder).padStart(2, '0') + bban;
}
const tron = (label: string): string => tronHexToBase58('41' + sha(label).slice(0, 40));
const eth = (label: string): string => canonicalEvmAddress('0x' + sha(label).slice(0, 40));

export const BANK = {
  greta: iban('DE', '12030000' + '1020304050'), // victim, tagged victim
  hannes: iban('DE', '50010517' + '5566778899'), // victim: pays a tagged mule
  piet: iban('NL', 'RABO' + '0312345678'), // victim named by the investigator; passes Hannes's money on
  tobias: iban('DE', '76050101' + '0011223344'), // mule, tagged mule
  lena: iban('NL', 'INGB' + '0009876543'), // mule, untagged
  employer: iban('DE', '37050198' + '0009998887'),
  otc: iban('DE', '70070010' + '0123123123'), // OTC desk, tagged otc
};
const platform = eth('scam platform deposit wallet');
// The lookalike: the platform's first four and last four hex digits, the middle changed.
const lookalike = canonicalEvmAddress('0x' + platform.slice(2, 6).toLowerCase() + sha('lookalike').slice(0, 32) + platform.slice(-4).toLowerCase());
export const CHAIN = {
  otcHot: tron('otc desk hot wallet'), // tagged otc
  collector: tron('collector'),
  peel1: tron('peel 1'),
  peel2: tron('peel 2'),
  peel3: tron('peel 3'),
  tail: tron('peel tail'),
  deposit1: tron('cash-out 1'),
  deposit2: tron('cash-out 2'),
  deposit3: tron('cash-out 3'),
  binance: tron('binance hot wallet'), // tagged exchange
  okx: tron('okx hot wallet'), // tagged exchange
  trader1: tron('trader 1'),
  trader2: tron('trader 2'),
  victimEth: eth('victim rosa wallet'), // victim: buys at an exchange and pays the platform
  exchangeEth: eth('exchange eth hot wallet'), // tagged exchange
  platform,
  lookalike,
  platformCollector: eth('platform collector'),
};

const at = (date: string, hour = 10): number => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

/** The bank reference the statements give a payment (as `statement` writes it). */
export const bankRef = (date: string, amount: string, counterparty: string): string => `REF-${sha(date + amount + counterparty).slice(0, 8)}`;

/** hoptrace's generic statement layout, with the running balance from `opening` (cents). */
function statement(rows: [string, string, string, string][], opening = 0n): string {
  let balance = opening;
  const euro = (cents: bigint): string =>
    `${cents < 0n ? '-' : ''}${(cents < 0n ? -cents : cents) / 100n}.${((cents < 0n ? -cents : cents) % 100n).toString().padStart(2, '0')}`;
  const lines = rows.map(([date, amount, account, name]) => {
    balance += BigInt(amount.replace('.', ''));
    return `${date},${amount},EUR,${account},${name},${bankRef(date, amount, account)},"payment",${euro(balance)}`;
  });
  return ['date,amount,currency,counterparty_account,counterparty_name,reference,description,balance', ...lines].join('\n') + '\n';
}

/** Writes the case's source files into `dir`; returns them by kind. */
export function writeHandBuiltCase(dir: string): { bank: [string, string][]; tron: string; ethereum: string; tags: string } {
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  // Greta: her salary, then eight times as much of her savings to Tobias (the regression: not a mule).
  const greta = file(
    'greta.csv',
    statement(
      [
        ['2025-05-30', '2000.00', BANK.employer, 'Nordhafen Spedition GmbH'],
        ['2025-06-02', '-16000.00', BANK.tobias, 'Tobias Brandt'],
      ],
      2_000_000n,
    ),
  );
  // Tobias: two victims' money in, 89 % of it on to the OTC desk the next day (his commission kept).
  const tobias = file(
    'tobias.csv',
    statement([
      ['2025-06-02', '16000.00', BANK.greta, 'Greta Lindqvist'],
      ['2025-06-03', '4000.00', BANK.hannes, 'Hannes Roth'],
      ['2025-06-04', '-17800.00', BANK.otc, 'Silver Junk Trading Ltd'],
    ]),
  );
  // Piet: a victim himself (100 in March), then receives Hannes's money as an "agent" and pays it
  // on to Lena with his own.
  const piet = file(
    'piet.csv',
    statement([
      ['2025-03-01', '-100.00', BANK.lena, 'Lena Vogt'], // his first "investment", months earlier
      ['2025-06-05', '5000.00', BANK.hannes, 'Hannes Roth'],
      ['2025-06-06', '-12000.00', BANK.lena, 'Lena Vogt'],
    ]),
  );
  // Lena: an old small balance, then Piet's 12,000, 89 % of it on the day after.
  const lena = file(
    'lena.csv',
    statement([
      ['2025-03-01', '300.00', BANK.employer, 'Nordhafen Spedition GmbH'],
      ['2025-03-01', '100.00', BANK.piet, 'Piet de Boer'],
      ['2025-06-06', '12000.00', BANK.piet, 'Piet de Boer'],
      ['2025-06-07', '-10680.00', BANK.otc, 'Silver Junk Trading Ltd'],
    ]),
  );
  const C = CHAIN;
  const tronRows: [string, string, number, number][] = [
    // The OTC desk pays the collector; the collector starts a peel chain to three cash-outs.
    [C.otcHot, C.collector, 50_000, at('2025-06-05', 9)],
    [C.collector, C.peel1, 50_000, at('2025-06-05', 12)],
    [C.peel1, C.deposit1, 2_000, at('2025-06-05', 14)],
    [C.peel1, C.peel2, 47_900, at('2025-06-05', 15)],
    [C.peel2, C.deposit2, 2_500, at('2025-06-06', 9)],
    [C.peel2, C.peel3, 45_300, at('2025-06-06', 10)],
    [C.peel3, C.deposit3, 3_000, at('2025-06-07', 9)],
    [C.peel3, C.tail, 42_200, at('2025-06-07', 10)],
    // A trader's deposit at one exchange, a withdrawal to another trader, a deposit at a second
    // exchange and a withdrawal back: money through exchanges, not a cycle.
    [C.trader1, C.binance, 5_000, at('2025-06-08', 9)],
    [C.binance, C.trader2, 5_000, at('2025-06-08', 11)],
    [C.trader2, C.okx, 5_000, at('2025-06-08', 13)],
    [C.okx, C.trader1, 4_990, at('2025-06-08', 15)],
  ];
  const usdtTron = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
  const tronCsv =
    [
      'wallet,timestamp,tx_id,risk_tx,status,from_address,from_tag,to_address,to_tag,quant,token_id,token_abbr,token_name,token_decimal,token_type,token_level,contract_return,result',
      ...tronRows.map(([from, to, value, time], i) =>
        [
          from,
          time,
          sha(`tron tx ${i}`),
          'False',
          '0',
          from,
          '',
          to,
          '',
          BigInt(value) * 1_000_000n,
          usdtTron,
          'USDT',
          'Tether USD',
          6,
          'trc20',
          2,
          'SUCCESS',
          'SUCCESS',
        ].join(','),
      ),
    ].join('\n') + '\n';
  const ethRows: [string, string, string, number][] = [
    [C.exchangeEth, C.victimEth, '10,000', at('2025-06-01', 9)], // Rosa buys USDT
    [C.victimEth, C.platform, '10,000', at('2025-06-01', 12)], // and pays the platform
    [C.platform, C.platformCollector, '10,000', at('2025-06-01', 18)],
    [C.platform, C.victimEth, '400', at('2025-06-04', 12)], // a "profit" of 400
    [C.lookalike, C.victimEth, '0', at('2025-06-04', 13)], // poisoning: zero-value from the lookalike
    [C.victimEth, C.lookalike, '0', at('2025-06-04', 14)], // and a zero-value transferFrom in her name
    [C.exchangeEth, C.victimEth, '25,000', at('2025-06-09', 9)], // she buys more
    [C.victimEth, C.platform, '25,000', at('2025-06-09', 12)], // and pays the platform again
    [C.platform, C.platformCollector, '25,000', at('2025-06-09', 18)],
  ];
  const ethCsv =
    [
      '"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"',
      ...ethRows.map(([from, to, value, time], i) =>
        [
          `"0x${sha(`eth tx ${i}`)}"`,
          `"${22_600_000 + i}"`,
          `"${time / 1000}"`,
          `"${new Date(time).toISOString().slice(0, 19).replace('T', ' ')}"`,
          `"${from}"`,
          `"${to}"`,
          `"${value}"`,
          '"N/A"',
          '"0xdac17f958d2ee523a2206206994597c13d831ec7"',
          '"Tether USD"',
          '"USDT"',
        ].join(','),
      ),
    ].join('\n') + '\n';
  const tags =
    [
      'chain,address,category,label,confidence,source',
      `bank,${BANK.greta},victim,Greta Lindqvist (victim report),90,police report`,
      `bank,${BANK.tobias},mule,Tobias Brandt (mule account),60,bank return`,
      `bank,${BANK.otc},otc,Silver Junk Trading Ltd (OTC desk),80,OTC return`,
      `tron,${C.otcHot},otc,Silver Junk OTC hot wallet,80,OTC return`,
      `tron,${C.binance},exchange,Binance-Hot (invented),90,TronScan`,
      `tron,${C.okx},exchange,Okex (invented),90,TronScan`,
      `ethereum,${C.exchangeEth},exchange,Exchange Four hot wallet (invented),90,case`,
    ].join('\n') + '\n';
  return {
    bank: [
      [greta, BANK.greta],
      [tobias, BANK.tobias],
      [piet, BANK.piet],
      [lena, BANK.lena],
    ],
    tron: file('tron.tronscan.csv', tronCsv),
    ethereum: file('eth.etherscan.csv', ethCsv),
    tags: file('tags.csv', tags),
  };
}

/**
 * The case written into `dir` and ingested into `dir`/case.db, then detected with Piet as a victim
 * the investigator names (Greta is tagged; Hannes paid a tagged mule).
 */
export async function detectHandBuiltCase(dir: string): Promise<{ db: Db; casePath: string }> {
  const files = writeHandBuiltCase(dir);
  const casePath = join(dir, 'case.db');
  const db = openCaseDb(casePath);
  for (const [file, account] of files.bank) await ingestBankFiles(db, [file], { profile: 'generic', account });
  await ingestUsdtFiles(db, [files.tron, files.ethereum]);
  await ingestTagFiles(db, [files.tags]);
  detectCase(db, undefined, {}, { victims: [BANK.piet] });
  return { db, casePath };
}
