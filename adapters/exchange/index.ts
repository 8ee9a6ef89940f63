import { HoptraceError } from '../../src/model/errors.js';
import { parseAmount, AmountParseError } from '../../src/model/amount.js';
import { canonicalExchangeAccount, canonicalExchangeName, EXCHANGE_ASSET_DECIMALS } from '../../src/model/exchange.js';
import { headerCells, readCsvRows } from '../common/csv.js';
import { binanceDepositsLayout, binanceStatementLayout, binanceWithdrawalsLayout } from './binance.js';
import { bittrexDepositsLayout, bittrexTransactionsLayout, bittrexWithdrawalsLayout } from './bittrex.js';
import { bybitFundingLayout } from './bybit.js';
import { excelSerialTime, openExchangeText, type ExchangeText } from './exchangeText.js';
import { genericLayout } from './generic.js';
import { krakenLedgerLayout } from './kraken.js';
import { okxLeReturnLayout } from './okx.js';
import { poloniexWithdrawalsLayout } from './poloniex.js';
import type { ExchangeItem, ExchangeLayout, ExchangeReadOptions, RowResult } from './types.js';
import { parseUtcTime } from './utcTime.js';

/** Every layout `ingest exchange --profile` knows, in detection order (most specific first). */
export const exchangeLayouts: readonly ExchangeLayout[] = [
  genericLayout,
  binanceDepositsLayout,
  binanceWithdrawalsLayout,
  binanceStatementLayout,
  krakenLedgerLayout,
  bybitFundingLayout,
  okxLeReturnLayout,
  bittrexTransactionsLayout,
  bittrexDepositsLayout,
  bittrexWithdrawalsLayout,
  poloniexWithdrawalsLayout,
];

function normalise(cell: string): string {
  return cell
    .replace(/\uFEFF/g, '')
    .trim()
    .toLowerCase();
}

/** How far down a file or sheet its header may be (titles, a `UID:` line, a blank line above it). */
const HEADER_SEARCH_LINES = 60;

/** The 0-based line of the text's head that is the layout's header, if one of the first lines is. */
function headerLine(layout: ExchangeLayout, head: string): number | undefined {
  const lines = head.split(/\r\n|\n|\r/).slice(0, HEADER_SEARCH_LINES);
  const found = lines.findIndex((line) => line.trim() !== '' && layout.matches(headerCells(line, layout.delimiter ?? ',').map(normalise)));
  return found < 0 ? undefined : found;
}

const headMatches = (layout: ExchangeLayout, head: string): boolean => headerLine(layout, head) !== undefined;

/** The layout of a file (CSV, or XLSX through `sheet`): the one named, or the one whose header the file's head matches. */
export async function resolveExchangeLayout(
  path: string,
  name: string | undefined,
  sheet?: string,
): Promise<{ layout: ExchangeLayout; detected: boolean; text?: ExchangeText }> {
  if (name !== undefined && name !== 'auto') {
    const layout = exchangeLayouts.find((l) => l.name === name);
    if (!layout)
      throw new HoptraceError(`unknown exchange profile ${JSON.stringify(name)}`, {
        hint: `use one of ${exchangeLayouts.map((l) => l.name).join(', ')} or auto`,
      });
    return { layout, detected: false };
  }
  const text = await openExchangeText(
    path,
    (headWith) => exchangeLayouts.some((l) => headMatches(l, headWith(l.delimiter ?? ','))),
    sheet === undefined ? {} : { sheet },
  );
  const { head } = text;
  if (head.trim() === '') throw new HoptraceError(text.sheet ? `sheet ${JSON.stringify(text.sheet.name)} is empty` : 'empty file', { file: path });
  const layout = exchangeLayouts.find((l) => headMatches(l, text.headWith(l.delimiter ?? ',')));
  // The opened text goes to the reader: a workbook is parsed once (exceljs takes seconds on a large sheet).
  if (layout) return { layout, detected: true, text };
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  throw new HoptraceError(
    `not an exchange deposit/withdrawal export hoptrace knows (${text.sheet ? `sheet ${JSON.stringify(text.sheet.name)}, ` : ''}header: ${JSON.stringify(first.slice(0, 120))})`,
    {
      file: path,
      line: 1,
      hint: `use the generic layout (${genericLayout.description.split(': ')[1]}) or --profile ${exchangeLayouts.map((l) => l.name).join('|')}`,
    },
  );
}

/** A file as one layout reads it: of a workbook, the sheet `sheet` names, else the first with the layout's header. */
export function openLayoutText(path: string, layout: ExchangeLayout, sheet: string | undefined): Promise<ExchangeText> {
  const delimiter = layout.delimiter ?? ',';
  return openExchangeText(path, (headWith) => headMatches(layout, headWith(delimiter)), sheet === undefined ? {} : { sheet });
}

/** One data row of an export as its layout reads it, before hoptrace's checks (asset, status, amounts). */
export type LayoutRowItem = { kind: 'row'; line: number; result: RowResult } | { kind: 'opened'; head: string; sheet: ExchangeText['sheet'] };

/**
 * The data rows of an export (CSV, or a workbook's sheet) as the layout reads them, after a first
 * item giving the text's head (for preambles) and the sheet read, if a workbook's.
 */
export async function* readLayoutRows(
  path: string,
  layout: ExchangeLayout,
  options: ExchangeReadOptions,
  opened?: ExchangeText,
): AsyncGenerator<LayoutRowItem> {
  const delimiter = layout.delimiter ?? ',';
  const text = opened ?? (await openLayoutText(path, layout, options.sheet));
  const head = text.headWith(delimiter);
  const at = headerLine(layout, head);
  if (at === undefined)
    throw new HoptraceError(
      `no ${layout.name} header in the first ${HEADER_SEARCH_LINES} lines${text.sheet ? ` of sheet ${JSON.stringify(text.sheet.name)}` : ''}`,
      { file: path, line: 1, hint: layout.description },
    );
  yield { kind: 'opened', head, sheet: text.sheet };
  let header: string[] | undefined;
  for await (const csvRow of readCsvRows(path, text.chunks(delimiter), { fromLine: at + 1, delimiter })) {
    if (header === undefined) {
      header = csvRow.fields.map(normalise);
      if (!layout.matches(header))
        throw new HoptraceError(`the header is not the ${layout.name} layout's`, { file: path, line: csvRow.line, hint: layout.description });
      continue;
    }
    const columns = header;
    const cell = (name: string): string => {
      const column = columns.indexOf(name);
      return column < 0 ? '' : (csvRow.fields[column] ?? '').replace(/\uFEFF/g, '').trim();
    };
    yield { kind: 'row', line: csvRow.line, result: layout.row({ line: csvRow.line, columns, cell }, options) };
  }
}

/**
 * Reads one exchange export into movements. Rows of assets hoptrace does not trace through
 * exchanges (anything but USDT) and rows that are not completed are counted as skipped; a row that
 * cannot be read is a reject naming what is wrong.
 */
export async function* readExchangeFile(
  path: string,
  layout: ExchangeLayout,
  options: ExchangeReadOptions,
  opened?: ExchangeText,
): AsyncGenerator<ExchangeItem> {
  let preambleAccount: string | undefined;
  let fromWorkbook = false;
  let skippedOther = 0;
  for await (const item of readLayoutRows(path, layout, options, opened)) {
    if (item.kind === 'opened') {
      preambleAccount = layout.accountFromPreamble?.(item.head);
      fromWorkbook = item.sheet !== undefined;
      if (item.sheet) yield { kind: 'note', message: `sheet ${JSON.stringify(item.sheet.name)} (${item.sheet.index} of ${item.sheet.count}) of the workbook` };
      continue;
    }
    const { line, result } = item;
    if (result.kind === 'skip') {
      skippedOther++;
      yield { kind: 'skipped', line, reason: result.reason };
      continue;
    }
    const asset = result.asset.toUpperCase();
    const decimals = EXCHANGE_ASSET_DECIMALS[asset];
    if (decimals === undefined) {
      yield { kind: 'skipped', line, reason: `asset ${asset}: only ${Object.keys(EXCHANGE_ASSET_DECIMALS).join(', ')} is traced through exchanges` };
      continue;
    }
    if (result.status !== 'completed') {
      yield { kind: 'skipped', line, reason: `status ${JSON.stringify(result.statusText ?? '')} is not completed` };
      continue;
    }
    const reject = (reason: string): ExchangeItem => ({ kind: 'reject', line, reason });
    const time = parseUtcTime(result.time) ?? (fromWorkbook ? excelSerialTime(result.time) : undefined);
    if (time === undefined) {
      yield reject(`time ${JSON.stringify(result.time)} is not a UTC date and time (YYYY-MM-DD HH:MM:SS)`);
      continue;
    }
    let amount: bigint;
    let fee: bigint;
    try {
      amount = parseAmount(result.amount, decimals);
      fee = parseAmount(result.fee, decimals);
    } catch (error) {
      if (error instanceof AmountParseError) {
        yield reject(error.message);
        continue;
      }
      throw error;
    }
    if (amount === 0n) {
      yield { kind: 'skipped', line, reason: 'zero amount' };
      continue;
    }
    let exchange: string;
    let account: string;
    try {
      exchange = canonicalExchangeName(options.exchange ?? result.exchange ?? layout.exchange ?? '');
      const accountText = result.account || options.account || preambleAccount;
      if (!accountText) {
        throw new HoptraceError(`the ${layout.name} export does not name the customer account`, {
          hint: 'give it with --account ID (the User_ID / UID of the return)',
        });
      }
      account = canonicalExchangeAccount(accountText);
    } catch (error) {
      if (error instanceof HoptraceError) throw new HoptraceError(error.message, { file: path, line, ...(error.hint ? { hint: error.hint } : {}) });
      throw error;
    }
    yield {
      kind: 'movement',
      record: {
        exchange,
        account,
        direction: result.direction,
        asset,
        ...(result.network ? { network: result.network } : {}),
        amount,
        fee,
        decimals,
        ...(result.address ? { address: result.address } : {}),
        ...(result.txid ? { txid: result.txid } : {}),
        ...(result.internal ? { internal: result.internal } : {}),
        time,
        line,
      },
    };
  }
  if (skippedOther > 0) yield { kind: 'note', message: `${skippedOther} rows are not deposits or withdrawals (trades, fees, staking): skipped` };
}
