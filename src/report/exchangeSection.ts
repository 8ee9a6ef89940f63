import type { UnmatchedMovement } from '../model/caseNames.js';
import { heading, paragraph, table, type Block } from './document.js';
import { exact } from './figures.js';
import { groupFigures } from './reportSections.js';
import type { AccountRoles } from './reportModel.js';

/**
 * The rows of the exchanges' returns, for the customer accounts the trace passed through, that the
 * chain data could not tie to an on-chain transfer (docs/design.md, rule 11), with the reason:
 * the part of the account's history the trace could not follow beyond the exchange's books.
 */
export function exchangeReturnSection(rows: readonly UnmatchedMovement[], roles: AccountRoles): Block[] {
  if (rows.length === 0) return [];
  return [
    heading(2, 'Exchange returns: deposits and withdrawals not followed on chain'),
    paragraph(
      "Rows of the exchanges' returns for the customer accounts this trace passed through that the chain data in the case could not tie to an on-chain transfer. They are still the account's history: a deposit row adds untraced money to the account, a withdrawal row takes money out of it under the tracing rule, and what it takes ends at the exchange's own books (the exchange's records say where it went). hoptrace exchange-movements --unmatched lists them for the whole case.",
    ),
    table(
      ['customer account', 'time (UTC)', 'row', 'amount', 'fee', 'network', 'tx hash', 'why not matched', 'source file:line'],
      rows.map((m) => {
        const colon = m.account.indexOf(':');
        return [
          roles.describe(m.account.slice(0, colon), m.account.slice(colon + 1)),
          m.time
            .replace('T', ' ')
            .replace(/\.000Z$/, '')
            .replace(/Z$/, ''),
          m.direction,
          `${exact(m.amount)} ${m.asset}`,
          exact(m.fee),
          m.network ?? '—',
          m.txid ?? '—',
          groupFigures(m.reason),
          `${m.source.path}:${m.source.line}`,
        ];
      }),
      true,
    ),
  ];
}
