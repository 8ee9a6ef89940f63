import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAmount, parseAmount } from '../model/amount.js';
import { HoptraceError } from '../model/errors.js';
import type { TraceResult } from '../model/trace.js';
import { csvCell } from '../model/csv.js';
import type { RequestItem, RequestKind } from './requestItems.js';
import { checkTemplate, renderHtml, renderMarkdown, type LetterTable } from './renderLetter.js';

const TEMPLATE_OF: Record<Exclude<RequestKind, 'follow-up'>, 'service' | 'issuer' | 'bank'> = {
  'preservation-disclosure': 'service',
  'account-freeze': 'service',
  freeze: 'issuer',
  'bank-freeze-production': 'bank',
  'bank-production': 'bank',
};
const TITLE: Record<'service' | 'issuer' | 'bank', string> = {
  service: 'Request to preserve and disclose records',
  issuer: 'Request to freeze stablecoin funds',
  bank: 'Request to freeze accounts and produce their records',
};

/** The templates shipped with hoptrace (templates/requests/ in the package). */
export function defaultTemplateDir(): string {
  return fileURLToPath(new URL('../../../templates/requests/', import.meta.url));
}

export function readTemplates(dir: string): Record<'service' | 'issuer' | 'bank', string> {
  const read = (name: 'service' | 'issuer' | 'bank'): string => {
    const path = join(dir, `${name}.md`);
    if (!existsSync(path))
      throw new HoptraceError(`no ${name}.md template`, {
        file: dir,
        hint: "a template folder holds service.md, issuer.md and bank.md (copy hoptrace's templates/requests/ to start)",
      });
    const text = readFileSync(path, 'utf8');
    checkTemplate(text, path);
    return text;
  };
  return { service: read('service'), issuer: read('issuer'), bank: read('bank') };
}

export interface LetterContext {
  trace: TraceResult;
  traceFile: string;
  traceSha256: string;
  /** ISO date for the letters, or null to leave it out (byte-identical output). */
  date: string | null;
}

export interface RequestFiles {
  /** File name → content, in the order they are written. */
  files: Map<string, string>;
  letters: number;
}

function victimText(trace: TraceResult, victims: Record<string, string>): string {
  const seeds = new Map(trace.seeds.map((s) => [s.id, s]));
  return Object.entries(victims)
    .map(([id, amount]) => {
      const seed = seeds.get(id);
      return seed ? `${seed.from} (${seed.ref}, ${seed.time.slice(0, 10)}): ${amount}` : `seed ${id}: ${amount}`;
    })
    .join('; ');
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'recipient'
  );
}

/** requests.csv and one letter (Markdown and HTML) per recipient, in a stable order. */
export function writeRequestFiles(
  items: readonly RequestItem[],
  templates: Record<'service' | 'issuer' | 'bank', string>,
  context: LetterContext,
): RequestFiles {
  const files = new Map<string, string>();
  const csv = ['recipient,kind,rail,account,asset,amount,victims,evidence'];
  for (const item of items) {
    const victims = Object.entries(item.victims)
      .map(([s, a]) => `${s}:${a}`)
      .join(';');
    csv.push([item.recipient, item.kind, item.rail, item.account, item.asset, item.amount, victims, item.evidence.join(' ')].map(csvCell).join(','));
  }
  files.set('requests.csv', csv.join('\n') + '\n');
  const byRecipient = new Map<string, RequestItem[]>();
  const followUps = items.filter((i) => i.kind === 'follow-up');
  for (const item of items) {
    if (item.kind === 'follow-up') continue;
    const key = `${TEMPLATE_OF[item.kind]}\u0000${item.recipient}`;
    const list = byRecipient.get(key);
    if (list) list.push(item);
    else byRecipient.set(key, [item]);
  }
  let n = 0;
  for (const [key, list] of [...byRecipient].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [kind, recipient] = key.split('\u0000') as ['service' | 'issuer' | 'bank', string];
    n++;
    const table: LetterTable = {
      header: ['request', 'account', 'asset', 'amount', 'victims (payment, date: traced amount)', 'details', 'evidence (hops)'],
      rows: list.map((i) => [
        i.kind,
        `${i.rail}:${i.account}`,
        i.asset,
        i.amount,
        victimText(context.trace, i.victims),
        Object.entries(i.details)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
        i.evidence.join(' '),
      ]),
    };
    const totals = new Map<string, bigint>();
    const decimals = new Map<string, number>();
    for (const i of list) {
      const d = i.amount.includes('.') ? i.amount.split('.')[1]!.length : 0;
      decimals.set(i.asset, d);
      totals.set(i.asset, (totals.get(i.asset) ?? 0n) + (i.alreadyCounted ? 0n : parseAmount(i.amount, d)));
    }
    const values = {
      title: TITLE[kind],
      recipient,
      date: context.date ?? '(date left out)',
      rule: context.trace.rule,
      trace_file: context.traceFile,
      trace_sha256: context.traceSha256,
      trace_sha256_short: context.traceSha256.slice(0, 12),
      case_sha256: context.trace.case.sha256 ?? '(not recorded)',
      total: [...totals].map(([asset, total]) => `${formatAmount(total, decimals.get(asset)!)} ${asset}`).join(' + '),
    };
    const base = `${String(n).padStart(2, '0')}-${kind}-${slug(recipient)}`;
    files.set(`${base}.md`, renderMarkdown(templates[kind], values, table));
    files.set(`${base}.html`, renderHtml(templates[kind], values, table, `${TITLE[kind]} — ${recipient}`));
  }
  if (followUps.length > 0) {
    const lines = [
      '# Follow up: traced money where the case lacks the history',
      '',
      'No request is written for these: the case holds no history of the account after the money arrived, so it may have moved on (docs/design.md, rule 10). Fetch or obtain that history, trace again, then request.',
      '',
      '| account | asset | traced | victims | history | evidence (hops) |',
      '|---|---|---|---|---|---|',
    ];
    for (const i of followUps)
      lines.push(
        `| ${i.rail}:${i.account} | ${i.asset} | ${i.amount} | ${victimText(context.trace, i.victims).replace(/\|/g, '\\|')} | ${Object.values(i.details).join('; ')} | ${i.evidence.join(' ')} |`,
      );
    files.set('follow-up.md', lines.join('\n') + '\n');
  }
  return { files, letters: n };
}
