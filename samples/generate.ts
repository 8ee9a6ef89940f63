/**
 * Writes the demo case in samples/ (run: npx tsx samples/generate.ts). Invented people, accounts
 * and wallets, in the real formats hoptrace reads; deterministic, so the committed files and the
 * figures asserted in test/demo are reproducible. samples/README.md tells the story.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tronHexToBase58 } from '../src/model/address.js';

const ROOT = dirname(fileURLToPath(import.meta.url));
const sha = (label: string): string =>
  createHash('sha256')
    .update('hoptrace-demo:' + label)
    .digest('hex');
const write = (relative: string, text: string): void => {
  const path = join(ROOT, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

// ---------------------------------------------------------------- identities

function iban(country: string, bban: string): string {
  const rearranged = bban + country + '00';
  const digits = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  return country + String(98 - remainder).padStart(2, '0') + bban;
}
const tron = (label: string): string => tronHexToBase58('41' + sha(label).slice(0, 40));
const eth = (label: string): string => '0x' + sha(label).slice(0, 40);
const txid = (label: string): string => sha('tx:' + label);

export const PEOPLE = {
  anna: { name: 'Anna Becker', iban: iban('DE', '50010517' + '4417320965') },
  jonas: { name: 'Jonas Weber', iban: iban('DE', '37040044' + '0532013007') },
  margaret: { name: 'Margaret Hughes', iban: iban('GB', 'NWBK' + '601613' + '31926819') },
  david: { name: 'David Clarke', iban: iban('GB', 'BARC' + '200000' + '55779911') },
  sanne: { name: 'Sanne de Vries', iban: iban('NL', 'INGB' + '0004123456') },
  kevin: { name: 'Kevin Schulz', iban: iban('DE', '10010010' + '0987654321') },
  daan: { name: 'Daan Visser', iban: iban('NL', 'INGB' + '0007654321') },
  lukas: { name: 'Lukas Hoffmann', iban: iban('DE', '20041133' + '0112233445') },
  otc: { name: 'Golden Lotus Trading GmbH', iban: iban('DE', '70070010' + '0777888999') },
  employer: { name: 'Rheinland Logistik GmbH', iban: iban('DE', '37050198' + '0001112223') },
  landlord: { name: 'Hausverwaltung Kramer', iban: iban('DE', '10050000' + '0445566778') },
  supermarket: { name: 'Albert Heijn', iban: iban('NL', 'ABNA' + '0417164300') },
};

export const WALLETS = {
  otcHot: tron('otc hot wallet'),
  c1: tron('collection 1'),
  c2: tron('collection 2'),
  k: tron('collector'),
  d1: tron('exchange deposit 1'),
  d2: tron('exchange deposit 2'),
  d3: tron('exchange deposit 3'),
  hot1: tron('exchange one hot wallet'),
  hot2: tron('exchange two hot wallet'),
  p1: tron('peel 1'),
  p2: tron('peel 2'),
  p3: tron('peel 3'),
  guarantee: tron('guarantee market escrow'),
  // A real OFAC SDN entry (CHEIL CREDIT BANK, program DPRK4) from the shipped OFAC list: the
  // payment to it is invented, to show how a sanctions hit appears in a trace.
  sanctioned: 'TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz',
  hold1: tron('holding 1'),
  hold2: tron('holding 2'),
  other1: tron('unrelated 1'),
  other2: tron('unrelated 2'),
  other3: tron('unrelated 3'),
  feeFunder: tron('operator fee funder'),
  energyMarket: tron('energy rental market'),
  // Ethereum
  robert: eth('robert chen wallet'),
  exchangeEth: eth('exchange eth hot wallet'),
  platformEth: eth('platform wallet'),
  collectorEth: eth('eth collector'),
  depositEth: eth('eth exchange deposit'),
  holdEth: eth('eth holding'),
  otherEth: eth('eth unrelated'),
};

const DAY = 86_400_000;
const at = (date: string, hour = 10, minute = 0): number => Date.parse(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);

// ---------------------------------------------------------------- bank statements

interface BankRow {
  date: string;
  cents: bigint; // signed, from the statement holder's side
  counterparty: { name: string; iban: string };
  reference: string;
  description: string;
}

const euro = (cents: bigint): string =>
  `${cents < 0n ? '-' : ''}${(cents < 0n ? -cents : cents) / 100n}.${((cents < 0n ? -cents : cents) % 100n).toString().padStart(2, '0')}`;

function genericStatement(rows: BankRow[], opening: bigint): string {
  let balance = opening;
  const lines = ['date,amount,currency,counterparty_account,counterparty_name,reference,description,balance'];
  for (const row of rows) {
    balance += row.cents;
    lines.push(
      [row.date, euro(row.cents), 'EUR', row.counterparty.iban, row.counterparty.name, row.reference, `"${row.description}"`, euro(balance)].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** ING Netherlands "Af/Bij" export (as test/fixtures/ofxstatement-dutch/ing_ok.csv): newest first. */
function ingNlStatement(own: string, rows: BankRow[]): string {
  const quote = (v: string): string => `"${v}"`;
  const lines = ['"Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij","Bedrag (EUR)","MutatieSoort","Mededelingen"'];
  for (const row of [...rows].reverse()) {
    const abs = row.cents < 0n ? -row.cents : row.cents;
    lines.push(
      [
        row.date.replace(/-/g, ''),
        row.counterparty.name.toUpperCase(),
        own,
        row.counterparty.iban,
        'OV',
        row.cents < 0n ? 'Af' : 'Bij',
        `${abs / 100n},${(abs % 100n).toString().padStart(2, '0')}`,
        'Overschrijving',
        `Naam: ${row.counterparty.name} Omschrijving: ${row.description} IBAN: ${row.counterparty.iban} Kenmerk: ${row.reference} Valutadatum: ${row.date.split('-').reverse().join('-')}`,
      ]
        .map(quote)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

const P = PEOPLE;
const eur = (value: number): bigint => BigInt(Math.round(value * 100));

// Kevin Schulz (DE mule): two German victims, his own salary, rent, and payments to the OTC desk.
const kevin: BankRow[] = [
  { date: '2025-03-03', cents: eur(2300), counterparty: P.employer, reference: 'SAL-2025-03', description: 'Gehalt Maerz' },
  { date: '2025-03-05', cents: eur(10000), counterparty: P.anna, reference: 'DE-KS-0305-1', description: 'Investment Plattform Einzahlung' },
  { date: '2025-03-06', cents: eur(-900), counterparty: P.landlord, reference: 'MIETE-03', description: 'Miete Maerz' },
  { date: '2025-03-12', cents: eur(5000), counterparty: P.jonas, reference: 'DE-KS-0312-1', description: 'Depot Aufstockung' },
  { date: '2025-03-19', cents: eur(15000), counterparty: P.anna, reference: 'DE-KS-0319-1', description: 'Investment Plattform Einzahlung 2' },
  { date: '2025-03-20', cents: eur(-24000), counterparty: P.otc, reference: 'GL-INV-4471', description: 'Rechnung 4471 Warenlieferung' },
  { date: '2025-03-26', cents: eur(12000), counterparty: P.jonas, reference: 'DE-KS-0326-1', description: 'Steuer auf Gewinne' },
  { date: '2025-04-01', cents: eur(2300), counterparty: P.employer, reference: 'SAL-2025-04', description: 'Gehalt April' },
  { date: '2025-04-02', cents: eur(8500), counterparty: P.anna, reference: 'DE-KS-0402-1', description: 'Freischaltgebuehr Auszahlung' },
  { date: '2025-04-03', cents: eur(-20000), counterparty: P.otc, reference: 'GL-INV-4502', description: 'Rechnung 4502 Warenlieferung' },
  { date: '2025-04-07', cents: eur(-900), counterparty: P.landlord, reference: 'MIETE-04', description: 'Miete April' },
];
// Daan Visser (NL mule): two British victims pay him in euro.
const daan: BankRow[] = [
  { date: '2025-03-03', cents: eur(1500), counterparty: P.supermarket, reference: 'AH-REFUND-77', description: 'Terugbetaling' },
  { date: '2025-03-07', cents: eur(7500), counterparty: P.margaret, reference: 'NL-DV-0307', description: 'Crypto account top up' },
  { date: '2025-03-14', cents: eur(6200), counterparty: P.david, reference: 'NL-DV-0314', description: 'Trading deposit' },
  { date: '2025-03-21', cents: eur(9800), counterparty: P.margaret, reference: 'NL-DV-0321', description: 'Withdrawal fee' },
  { date: '2025-03-22', cents: eur(-16000), counterparty: P.otc, reference: 'GL-INV-4480', description: 'Factuur 4480' },
  { date: '2025-04-04', cents: eur(11000), counterparty: P.david, reference: 'NL-DV-0404', description: 'Account upgrade' },
  { date: '2025-04-05', cents: eur(-17500), counterparty: P.otc, reference: 'GL-INV-4510', description: 'Factuur 4510' },
];
// Lukas Hoffmann (DE mule): a Dutch victim; his statement's first row implies an opening balance.
const lukas: BankRow[] = [
  { date: '2025-03-10', cents: eur(4000), counterparty: P.sanne, reference: 'DE-LH-0310-A', description: 'Beleggingsplatform storting' },
  { date: '2025-03-24', cents: eur(9000), counterparty: P.sanne, reference: 'DE-LH-0324-A', description: 'Beleggingsplatform storting 2' },
  { date: '2025-03-25', cents: eur(-12000), counterparty: P.otc, reference: 'GL-INV-4490', description: 'Rechnung 4490' },
];
// Sanne de Vries's own statement (ING NL): the same two payments, with her bank's references.
const sanne: BankRow[] = [
  { date: '2025-03-09', cents: eur(-4000), counterparty: P.lukas, reference: 'ING-SV-20250309-01', description: 'Beleggingsplatform storting' },
  { date: '2025-03-24', cents: eur(-9000), counterparty: P.lukas, reference: 'ING-SV-20250324-01', description: 'Beleggingsplatform storting 2' },
];

write('bank/mule-kevin-schulz.csv', genericStatement(kevin, 0n));
write('bank/mule-daan-visser.csv', genericStatement(daan, 0n));
write('bank/mule-lukas-hoffmann.csv', genericStatement(lukas, eur(850)));
write('bank/victim-sanne-de-vries-ing-nl.csv', ingNlStatement(P.sanne.iban, sanne));

// ---------------------------------------------------------------- USDT on Tron

interface ChainTransfer {
  from: string;
  to: string;
  micro: bigint;
  time: number;
  label: string;
}
const usdt = (value: number): bigint => BigInt(Math.round(value * 1_000_000));
const tronTransfers: ChainTransfer[] = [];
const t = (from: string, to: string, value: number, time: number, label: string): ChainTransfer => {
  const transfer = { from, to, micro: usdt(value), time, label };
  tronTransfers.push(transfer);
  return transfer;
};
const W = WALLETS;

// The OTC desk pays the operator's collection wallet the USDT each invoice bought (1.08 USDT/EUR).
// Invoice 4490's USDT left a day before Lukas's bank booked the euro (banks book late).
const otcPayouts = [
  { invoice: 'GL-INV-4471', eur: 24000, time: at('2025-03-20', 15) },
  { invoice: 'GL-INV-4480', eur: 16000, time: at('2025-03-22', 16) },
  { invoice: 'GL-INV-4490', eur: 12000, time: at('2025-03-24', 18) },
  { invoice: 'GL-INV-4502', eur: 20000, time: at('2025-04-03', 14) },
  { invoice: 'GL-INV-4510', eur: 17500, time: at('2025-04-05', 13) },
].map((p) => ({ ...p, transfer: t(W.otcHot, W.c1, p.eur * 1.08, p.time, `otc payout ${p.invoice}`) }));

// Unrelated money: other proceeds reach collection wallet 2; outsiders trade among themselves.
t(W.other1, W.c2, 40000, at('2025-03-18', 9), 'other proceeds 1');
t(W.other2, W.c2, 22000, at('2025-03-28', 9), 'other proceeds 2');
t(W.other1, W.other2, 5000, at('2025-03-19', 12), 'noise 1');
t(W.other2, W.other3, 3000, at('2025-03-27', 12), 'noise 2');
t(W.other3, W.hot1, 2500, at('2025-04-02', 12), 'noise 3');

// Sweeps into the collector, then the splits: exchange deposits, a peel chain ending at a
// guarantee market, a sanctioned wallet, and wallets that still hold funds.
t(W.c1, W.k, 25920 + 17280, at('2025-03-23', 8), 'sweep c1 1');
t(W.c2, W.k, 40000, at('2025-03-23', 9), 'sweep c2 1');
t(W.c1, W.k, 12960 + 21600, at('2025-04-04', 8), 'sweep c1 2');
t(W.c1, W.k, 18900, at('2025-04-06', 8), 'sweep c1 3');
t(W.c2, W.k, 22000, at('2025-04-06', 9), 'sweep c2 2');
t(W.k, W.d1, 30000, at('2025-03-24', 11), 'k to deposit 1');
t(W.d1, W.hot1, 30000, at('2025-03-24', 12), 'deposit 1 forwards');
t(W.k, W.sanctioned, 10000, at('2025-03-25', 11), 'k to sanctioned');
t(W.k, W.p1, 45000, at('2025-04-06', 12), 'k to peel 1');
t(W.p1, W.d2, 2000, at('2025-04-06', 13), 'peel 1 off');
t(W.p1, W.p2, 42900, at('2025-04-06', 14), 'peel 1 on');
t(W.d2, W.hot1, 2000, at('2025-04-06', 15), 'deposit 2 forwards');
t(W.p2, W.d3, 2500, at('2025-04-07', 10), 'peel 2 off');
t(W.p2, W.p3, 40300, at('2025-04-07', 11), 'peel 2 on');
t(W.d3, W.hot2, 2500, at('2025-04-07', 12), 'deposit 3 forwards');
t(W.p3, W.guarantee, 37300, at('2025-04-08', 10), 'peel 3 to guarantee market');
t(W.p3, W.hold1, 3000, at('2025-04-08', 9), 'peel 3 parks');
t(W.k, W.hold2, 20000, at('2025-04-09', 10), 'k parks');

const USDT_TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
tronTransfers.sort((a, b) => a.time - b.time);

/** TronScan API rows flattened to CSV (as test/fixtures/tron-aso-nbctf-hfuhruhurr). */
function tronscanCsv(watched: string[]): string {
  const lines = [
    'wallet,timestamp,tx_id,risk_tx,status,from_address,from_tag,to_address,to_tag,quant,token_id,token_abbr,token_name,token_decimal,token_type,token_level,contract_return,result',
  ];
  for (const wallet of watched) {
    for (const x of tronTransfers.filter((x) => x.from === wallet || x.to === wallet).reverse()) {
      lines.push(
        [wallet, x.time, txid(x.label), 'False', '0', x.from, '', x.to, '', x.micro, USDT_TRON, 'USDT', 'Tether USD', 6, 'trc20', 2, 'SUCCESS', 'SUCCESS'].join(
          ',',
        ),
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** TronGrid /v1/accounts/{addr}/transactions/trc20 pages (as test/fixtures/trongrid-trc20-ledger-live). */
function trongridPage(wallet: string): string {
  const data = tronTransfers
    .filter((x) => x.from === wallet || x.to === wallet)
    .reverse()
    .map((x) => ({
      transaction_id: txid(x.label),
      token_info: { symbol: 'USDT', address: USDT_TRON, decimals: 6, name: 'Tether USD' },
      block_timestamp: x.time,
      from: x.from,
      to: x.to,
      type: 'Transfer',
      value: x.micro.toString(),
    }));
  return JSON.stringify({ data, success: true, meta: { at: at('2025-05-01'), page_size: data.length } }, null, 2) + '\n';
}

write('usdt/tron-otc-and-collection.trongrid.json', trongridPage(W.c1));
write('usdt/tron-collector-and-peel-chain.tronscan.csv', tronscanCsv([W.k, W.p1, W.p2, W.p3, W.c2, W.other2, W.d1, W.d2, W.d3, W.other3]));

// ---------------------------------------------------------------- USDT on Ethereum

const ethTransfers: ChainTransfer[] = [];
const e = (from: string, to: string, value: number, time: number, label: string): void => {
  ethTransfers.push({ from, to, micro: usdt(value), time, label });
};
// Robert Chen (US) buys USDT at an exchange and pays the "platform" himself.
e(W.exchangeEth, W.robert, 30000, at('2025-03-15', 14), 'robert buys 1');
e(W.robert, W.platformEth, 30000, at('2025-03-15', 15), 'robert pays platform 1');
e(W.exchangeEth, W.robert, 20000, at('2025-04-01', 14), 'robert buys 2');
e(W.robert, W.platformEth, 20000, at('2025-04-01', 15), 'robert pays platform 2');
e(W.platformEth, W.collectorEth, 30000, at('2025-03-16', 9), 'platform sweep 1');
e(W.otherEth, W.collectorEth, 15000, at('2025-03-17', 9), 'eth other proceeds');
e(W.collectorEth, W.depositEth, 25000, at('2025-03-20', 9), 'eth to deposit');
e(W.depositEth, W.exchangeEth, 25000, at('2025-03-20', 10), 'eth deposit forwards');
e(W.platformEth, W.collectorEth, 20000, at('2025-04-02', 9), 'platform sweep 2');
e(W.collectorEth, W.holdEth, 30000, at('2025-04-05', 9), 'eth parks');
ethTransfers.sort((a, b) => a.time - b.time);

function etherscanCsv(): string {
  const lines = ['"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"'];
  const block0 = 21_900_000;
  const time0 = at('2025-03-01');
  for (const x of ethTransfers) {
    const block = block0 + Math.floor((x.time - time0) / 12_000);
    const whole = x.micro / 1_000_000n;
    const value = `"${whole.toLocaleString('en-US')}${x.micro % 1_000_000n ? '.' + (x.micro % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '') : ''}"`;
    const date = new Date(x.time).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(
      [
        `"0x${txid(x.label)}"`,
        `"${block}"`,
        `"${x.time / 1000}"`,
        `"${date}"`,
        `"${x.from}"`,
        `"${x.to}"`,
        value,
        '"N/A"',
        '"0xdac17f958d2ee523a2206206994597c13d831ec7"',
        '"Tether USD"',
        '"USDT"',
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}
write('usdt/eth-platform-and-collector.etherscan.csv', etherscanCsv());

// ---------------------------------------------------------------- OTC return, tags, fee funding

write('links/golden-lotus-otc-return.csv', ['fiat_ref,crypto_ref', ...otcPayouts.map((p) => `${p.invoice},${txid(p.transfer.label)}`)].join('\n') + '\n');

const tags: [string, string, string, string, number, string][] = [
  ['tron', W.hot1, 'exchange', 'Exchange One hot wallet (invented)', 90, 'demo case'],
  ['tron', W.hot2, 'exchange', 'Exchange Two hot wallet (invented)', 90, 'demo case'],
  ['tron', W.guarantee, 'guarantee_market', 'Guarantee marketplace escrow (invented, Huione-type)', 70, 'demo case'],
  ['tron', W.otcHot, 'otc', 'Golden Lotus OTC desk hot wallet (invented)', 80, 'OTC return'],
  ['bank', P.otc.iban, 'otc', 'Golden Lotus Trading GmbH (OTC desk, invented)', 80, 'OTC return'],
  ['ethereum', W.exchangeEth, 'exchange', 'Exchange Three hot wallet (invented)', 90, 'demo case'],
  ['bank', P.kevin.iban, 'mule', 'Kevin Schulz (mule account)', 60, 'bank return'],
  ['bank', P.daan.iban, 'mule', 'Daan Visser (mule account)', 60, 'bank return'],
  ['bank', P.lukas.iban, 'mule', 'Lukas Hoffmann (mule account)', 60, 'bank return'],
];
const csvCell = (value: string | number): string => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));
write('attribution/demo-tags.csv', ['chain,address,category,label,confidence,source', ...tags.map((row) => row.map(csvCell).join(','))].join('\n') + '\n');

// TRX for fees: the operator's funder gives each of its wallets its first TRX; an energy-rental
// market funds unrelated wallets (it funds everyone, so it says nothing about ownership).
const trx = (from: string, to: string, sun: number, time: number, label: string) => ({ from, to, sun, time, label });
const funding = [
  trx(W.feeFunder, W.c1, 30_000_000, at('2025-03-18', 7), 'fund c1'),
  trx(W.feeFunder, W.c2, 30_000_000, at('2025-03-18', 7, 5), 'fund c2'),
  trx(W.feeFunder, W.k, 50_000_000, at('2025-03-18', 7, 10), 'fund k'),
  trx(W.feeFunder, W.p1, 20_000_000, at('2025-04-05', 7), 'fund p1'),
  trx(W.feeFunder, W.p2, 20_000_000, at('2025-04-05', 7, 5), 'fund p2'),
  trx(W.feeFunder, W.p3, 20_000_000, at('2025-04-05', 7, 10), 'fund p3'),
  trx(W.energyMarket, W.other1, 15_000_000, at('2025-03-10', 7), 'energy other1'),
  trx(W.energyMarket, W.other2, 15_000_000, at('2025-03-11', 7), 'energy other2'),
  trx(W.energyMarket, W.other3, 15_000_000, at('2025-03-12', 7), 'energy other3'),
  trx(W.energyMarket, W.hold1, 15_000_000, at('2025-03-13', 7), 'energy hold1'),
  // An energy-rental market funds thousands of strangers; 21 more here put it past the funder
  // heuristic's fan-out limit (20), so the wallets it funds are not grouped.
  ...Array.from({ length: 21 }, (_, i) => trx(W.energyMarket, tron(`energy customer ${i}`), 15_000_000, at('2025-03-14', 7, i), `energy customer ${i}`)),
];
const hex41 = (address: string): string => {
  // base58 → 41… hex, via the same decoding the toolkit uses
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let value = 0n;
  for (const c of address) value = value * 58n + BigInt(alphabet.indexOf(c));
  return value.toString(16).padStart(50, '0').slice(0, 42);
};
write(
  'native/tron-fee-funding.trongrid.json',
  JSON.stringify(
    {
      data: funding.map((f) => ({
        ret: [{ contractRet: 'SUCCESS', fee: 0 }],
        txID: txid(f.label),
        block_timestamp: f.time,
        raw_data: {
          contract: [
            {
              type: 'TransferContract',
              parameter: {
                value: { amount: f.sun, owner_address: hex41(f.from), to_address: hex41(f.to) },
                type_url: 'type.googleapis.com/protocol.TransferContract',
              },
            },
          ],
        },
      })),
      success: true,
      meta: { at: at('2025-05-01'), page_size: funding.length },
    },
    null,
    2,
  ) + '\n',
);

process.stdout.write(`demo case written to ${ROOT}\n`);
void DAY;
