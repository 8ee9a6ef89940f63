import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { parseAmount } from '../../src/model/amount.js';
import { bankAccountIdent, canonicalBankCode } from '../../src/model/bankAccount.js';
import { canonicalCurrency, currencyDecimals } from '../../src/model/currency.js';
import { HoptraceError, userError } from '../../src/model/errors.js';
import { isValidDate, type LocalDate } from '../../src/model/localDate.js';
import { fingerprintText, meaningfulReference, type StatementItem, type StatementReadContext, type StatementRow } from './statementRow.js';
import { decodeWhole } from '../common/text.js';
import { child, children, readXmlElements, textAt, type XmlElement, type XmlTag } from '../common/xml.js';

/**
 * ISO 20022 bank-to-customer cash management: camt.053 statements (Stmt), camt.052 intraday
 * reports (Rpt) and camt.054 debit/credit notifications (Ntfctn), versions 001.01–001.08. Each
 * booked entry (Ntry) is one movement of its amount on the account; when an entry batches
 * several transactions (TxDtls) whose amounts add up to it, each becomes its own line with its
 * own counterparty. Balances OPBD/PRCD open and CLBD closes the running-balance check.
 *
 * Tested against genkgo/camt's samples and its expected parse results (test/fixtures/camt-genkgo).
 */
const RECORD_NAMES = ['Stmt', 'Rpt', 'Ntfctn'];
const OPENING_CODES = ['OPBD', 'PRCD'];
const CLOSING_CODES = ['CLBD'];

async function readXmlText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HoptraceError(code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`, { file: path });
  }
  const declared = /^(?:\uFEFF)?<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1]?.toLowerCase();
  const label = declared === undefined || declared === 'utf8' ? 'utf-8' : declared;
  try {
    return decodeWhole(new TextDecoder(label, { fatal: true }), bytes);
  } catch (error) {
    if (error instanceof RangeError) throw new HoptraceError(`the XML declares encoding ${label}, which this reader does not know`, { file: path, line: 1 });
    throw new HoptraceError(`bytes that are not valid ${label}`, { file: path, hint: 'the XML declaration names the wrong encoding, or the file is damaged' });
  }
}

function parseIsoDate(text: string | undefined): LocalDate | undefined {
  const match = text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isValidDate(date) ? date : undefined;
}

function dateOf(element: XmlElement | undefined): LocalDate | undefined {
  return parseIsoDate(textAt(element, 'Dt') ?? textAt(element, 'DtTm'));
}

function signedAmount(
  amountElement: XmlElement | undefined,
  indicator: string | undefined,
  line: number,
): { amount: bigint; currency: string; decimals: number } {
  if (!amountElement) throw new HoptraceError('entry has no <Amt>', { line });
  const currency = canonicalCurrency(amountElement.attributes['Ccy'] ?? '');
  const decimals = currencyDecimals(currency);
  const units = parseAmount(amountElement.text.trim(), decimals);
  if (indicator !== 'CRDT' && indicator !== 'DBIT') throw new HoptraceError(`<CdtDbtInd> is ${JSON.stringify(indicator ?? '')}, not CRDT or DBIT`, { line });
  return { amount: indicator === 'DBIT' ? -units : units, currency, decimals };
}

/** Account ident of a camt `Acct`-like element: IBAN, or Othr/PrtryAcct id with the servicer's BIC. */
function accountIdent(account: XmlElement | undefined, servicer?: XmlElement): string | undefined {
  const id = child(account, 'Id');
  const iban = textAt(id, 'IBAN');
  if (iban !== undefined) return bankAccountIdent(iban);
  const other = textAt(id, 'Othr', 'Id') ?? textAt(id, 'PrtryAcct', 'Id');
  if (other === undefined) return undefined;
  const bic = textAt(servicer, 'FinInstnId', 'BIC') ?? textAt(servicer, 'FinInstnId', 'BICFI');
  return bankAccountIdent(other, bic === undefined ? undefined : canonicalBankCode(bic));
}

function partyName(party: XmlElement | undefined): string | undefined {
  // camt.05x.001.08 wraps the party: Pty (a person or company) or Agt (a financial institution).
  return textAt(party, 'Nm') ?? textAt(party, 'Pty', 'Nm') ?? textAt(party, 'Agt', 'FinInstnId', 'Nm');
}

interface RecordContext {
  account: string;
  /** The statement's (or message's) creation date, for entries that carry no date of their own. */
  created?: LocalDate;
  holder?: string;
  bank?: string;
}

function recordContext(record: XmlElement, header: XmlElement | undefined, override: string | undefined, path: string): RecordContext {
  const acct = child(record, 'Acct');
  let account: string | undefined;
  try {
    account = accountIdent(acct, child(acct, 'Svcr'));
  } catch (error) {
    throw new HoptraceError(`the statement's account: ${userError(error).message}`, {
      file: path,
      line: child(acct, 'Id', 'IBAN')?.line ?? acct?.line ?? record.line,
    });
  }
  if (override !== undefined && account !== undefined && override !== account) {
    throw new HoptraceError(`the statement's account is ${account}, not --account ${override}`, { file: path, line: acct?.line ?? record.line });
  }
  account ??= override;
  if (account === undefined) throw new HoptraceError('the statement names no account (Acct/Id)', { file: path, line: record.line, hint: 'give --account' });
  const context: RecordContext = { account };
  const created = parseIsoDate(textAt(record, 'CreDtTm') ?? textAt(header, 'CreDtTm'));
  if (created) context.created = created;
  const holder = textAt(acct, 'Ownr', 'Nm') ?? textAt(acct, 'Nm');
  if (holder !== undefined) context.holder = holder;
  const bank =
    textAt(acct, 'Svcr', 'FinInstnId', 'Nm') ??
    textAt(acct, 'Svcr', 'FinInstnId', 'NmAndAdr', 'Nm') ??
    textAt(acct, 'Svcr', 'FinInstnId', 'BIC') ??
    textAt(acct, 'Svcr', 'FinInstnId', 'BICFI');
  if (bank !== undefined) context.bank = bank;
  return context;
}

/** The record's opening (OPBD/PRCD) or closing (CLBD) balances: the check needs openings before the entries and closings after. */
function* balances(record: XmlElement, context: RecordContext, which: 'opening' | 'closing'): Generator<StatementItem> {
  for (const balance of children(record, 'Bal')) {
    const code = textAt(balance, 'Tp', 'CdOrPrtry', 'Cd');
    const kind = code !== undefined && OPENING_CODES.includes(code) ? 'opening' : code !== undefined && CLOSING_CODES.includes(code) ? 'closing' : undefined;
    if (kind !== which) continue;
    const { amount, currency, decimals } = signedAmount(child(balance, 'Amt'), textAt(balance, 'CdtDbtInd'), balance.line);
    const date = dateOf(child(balance, 'Dt'));
    if (!date) throw new HoptraceError(`balance ${code} has no date`, { line: balance.line });
    yield { kind: 'balance', balance: { kind, line: balance.line, account: context.account, currency, decimals, date, amount } };
  }
}

/** One entry as statement lines: one per transaction when its details add up to it, else one. */
function entryRows(entry: XmlElement, context: RecordContext): StatementRow[] | { skip: string } {
  const status = textAt(entry, 'Sts') ?? textAt(entry, 'Sts', 'Cd');
  if (status !== undefined && status !== 'BOOK') return { skip: `entry status ${status} (not booked)` };
  const { amount, currency, decimals } = signedAmount(child(entry, 'Amt'), textAt(entry, 'CdtDbtInd'), entry.line);
  // camt.054 notifications may carry neither date: the notification's creation time dates them.
  const undated = !child(entry, 'BookgDt') && !child(entry, 'ValDt');
  const date = dateOf(child(entry, 'BookgDt')) ?? dateOf(child(entry, 'ValDt')) ?? (undated ? context.created : undefined);
  if (!date) throw new HoptraceError('entry has neither a booking date nor a value date', { line: entry.line });
  const details = child(entry, 'NtryDtls') ? children(entry, 'NtryDtls').flatMap((d) => children(d, 'TxDtls')) : [];
  const reversal = textAt(entry, 'RvslInd') === 'true';
  const entryRef = meaningfulReference(textAt(entry, 'AcctSvcrRef'));
  const base = {
    account: context.account,
    date,
    currency,
    decimals,
    ...(context.holder ? { accountHolder: context.holder } : {}),
    ...(context.bank ? { bank: context.bank } : {}),
  };
  const detailAmounts = details.map((d) => {
    const amt = child(d, 'Amt') ?? child(d, 'AmtDtls', 'TxAmt', 'Amt');
    return amt && canonicalCurrency(amt.attributes['Ccy'] ?? '') === currency ? parseAmount(amt.text.trim(), decimals) : undefined;
  });
  const magnitude = amount < 0n ? -amount : amount;
  const split = details.length > 1 && detailAmounts.every((a) => a !== undefined) && detailAmounts.reduce((s, a) => s + a!, 0n) === magnitude;
  if (!split) {
    const only = details.length === 1 ? details[0] : undefined;
    const row: StatementRow = { ...base, line: entry.line, amount, fingerprint: fingerprintOf(entry) };
    fillFromDetails(row, only, amount < 0n, context.account);
    row.reference = entryRef ?? (only ? detailReference(only) : undefined) ?? '';
    if (row.reference === '') delete row.reference;
    const info = [
      reversal ? 'reversal' : undefined,
      undated ? "no booking or value date: dated by the message's creation time" : undefined,
      textAt(entry, 'AddtlNtryInf'),
      row.description,
    ].filter((t) => t !== undefined);
    if (details.length > 1) info.push(`batch of ${details.length} transactions whose amounts do not add up to the entry`);
    if (info.length > 0) row.description = info.join(' | ');
    else delete row.description;
    return [row];
  }
  return details.map((detail, index) => {
    const part = detailAmounts[index]!;
    const row: StatementRow = { ...base, line: detail.line, amount: amount < 0n ? -part : part, fingerprint: fingerprintOf(detail) };
    fillFromDetails(row, detail, amount < 0n, context.account);
    const reference = detailReference(detail) ?? (entryRef !== undefined ? `${entryRef}/${index + 1}` : undefined);
    if (reference !== undefined) row.reference = reference;
    if (reversal) row.description = ['reversal', row.description].filter((t) => t !== undefined).join(' | ');
    return row;
  });
}

function detailReference(detail: XmlElement): string | undefined {
  const refs = child(detail, 'Refs');
  for (const name of ['AcctSvcrRef', 'EndToEndId', 'TxId', 'InstrId', 'UETR']) {
    const value = meaningfulReference(textAt(refs, name));
    if (value !== undefined) return value;
  }
  return undefined;
}

function fillFromDetails(row: StatementRow, detail: XmlElement | undefined, outgoing: boolean, own: string): void {
  if (!detail) return;
  const parties = child(detail, 'RltdPties');
  const side = outgoing ? 'Cdtr' : 'Dbtr';
  const name = partyName(child(parties, side)) ?? partyName(child(parties, outgoing ? 'UltmtCdtr' : 'UltmtDbtr'));
  const account = accountIdent(child(parties, side + 'Acct'));
  // Some banks print the statement's own account on both sides: that is not a counterparty.
  if (account !== undefined && account !== own) row.counterpartyAccount = account;
  if (name !== undefined) row.counterpartyName = name;
  const remittance = [...children(child(detail, 'RmtInf'), 'Ustrd').map((u) => u.text.trim()), textAt(detail, 'RmtInf', 'Strd', 'CdtrRefInf', 'Ref')].filter(
    (t) => t,
  );
  const info = [textAt(detail, 'AddtlTxInf'), ...remittance].filter((t) => t !== undefined && t !== '');
  if (info.length > 0) row.description = info.join(' | ');
}

function fingerprintOf(element: XmlElement): string {
  const hash = createHash('sha256');
  const walk = (e: XmlElement): void => {
    hash.update(fingerprintText(`<${e.name}${JSON.stringify(e.attributes)}>${e.text.trim()}`));
    e.children.forEach(walk);
  };
  walk(element);
  return hash.digest('hex');
}

export async function* readCamtStatement(context: StatementReadContext): AsyncGenerator<StatementItem> {
  const { path } = context;
  const text = await readXmlText(path);
  context.onBytes?.(Buffer.byteLength(text));
  // Document/BkToCstmr…/{GrpHdr, Stmt | Rpt | Ntfctn}: the first BkToCstmr… child is the message.
  let document: XmlTag | undefined;
  let message: XmlTag | undefined;
  const select = (open: readonly XmlTag[]): boolean => {
    if (open.length === 1) document = open[0];
    if (open.length === 2 && message === undefined && open[0]!.name === 'Document' && /^BkToCstmr/.test(open[1]!.name)) message = open[1];
    return open.length === 3 && open[1] === message && (open[2]!.name === 'GrpHdr' || RECORD_NAMES.includes(open[2]!.name));
  };
  let header: XmlElement | undefined;
  let records = 0;
  for await (const element of readXmlElements([text], path, select)) {
    if (element.name === 'GrpHdr') {
      header ??= element;
      continue;
    }
    records++;
    yield* recordItems(element, header, context.account, path);
  }
  if (document?.name !== 'Document' || !message)
    throw new HoptraceError('not a camt.052/053/054 message (no Document/BkToCstmr…)', { file: path, line: document?.line ?? 1 });
  if (records === 0)
    throw new HoptraceError(`the ${message.name} message holds no statement, report or notification`, {
      file: path,
      line: message.line,
      hint: 'the file is incomplete or not a bank statement',
    });
}

function* recordItems(record: XmlElement, header: XmlElement | undefined, override: string | undefined, path: string): Generator<StatementItem> {
  const recordInfo = recordContext(record, header, override, path);
  yield* withFileErrors(balances(record, recordInfo, 'opening'), path);
  for (const entry of children(record, 'Ntry')) {
    try {
      const rows = entryRows(entry, recordInfo);
      if ('skip' in rows) yield { kind: 'skipped', line: entry.line, reason: rows.skip };
      else for (const row of rows) yield { kind: 'row', row };
    } catch (error) {
      if (!(error instanceof HoptraceError)) throw error;
      yield { kind: 'reject', line: error.line ?? entry.line, reason: error.hint ? `${error.message} — ${error.hint}` : error.message };
    }
  }
  yield* withFileErrors(balances(record, recordInfo, 'closing'), path);
}

// A balance the reader cannot read is a file-level problem: the check would be meaningless.
function* withFileErrors(items: Generator<StatementItem>, path: string): Generator<StatementItem> {
  try {
    yield* items;
  } catch (error) {
    if (error instanceof HoptraceError) throw new HoptraceError(error.message, { file: path, ...(error.line ? { line: error.line } : {}) });
    throw error;
  }
}
