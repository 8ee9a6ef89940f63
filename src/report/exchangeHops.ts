import { customerName, parseCustomerIdent } from '../model/exchange.js';
import type { TraceResult } from '../model/trace.js';

/**
 * The hop through a customer's account at an exchange in the words of the exchange's return
 * (docs/design.md, rule 11): a deposit is "credited to customer 4411 at Binance", a withdrawal
 * "withdrawn by customer 4411 at Binance to 0xF6f6…, on chain as transfer 5" (the on-chain transfer
 * it was linked to, the next hop of the path), its fee "fee of customer 4411 charged by Binance". A withdrawal the case
 * does not follow on chain says so. Other hops: undefined (the report's from → to).
 */
export function exchangeHopWords(result: TraceResult, index: number, describe: (rail: string, ident: string) => string): string | undefined {
  const edge = result.edges[index]!;
  if (edge.rail !== 'exchange') return undefined;
  const into = parseCustomerIdent(edge.to);
  const outOf = parseCustomerIdent(edge.from);
  if (into && !outOf)
    return `credited to ${customerName(into.exchange, into.account)}${edge.viaLink !== undefined ? ` (the deposit of transfer ${edge.viaLink})` : ''}`;
  if (!outOf || into) return undefined;
  const customer = customerName(outOf.exchange, outOf.account);
  if (edge.ref.endsWith(':fee')) return `fee of ${customer.replace(' at ', ', charged by ')}`;
  const onward = result.edges.find((e) => e.viaLink === edge.transfer);
  if (onward) return `withdrawn by ${customer} to ${describe(onward.rail, onward.to)}, on chain as transfer ${onward.transfer}`;
  return `withdrawn by ${customer}, not followed on chain (the return's row is not matched to a transfer in the case: hoptrace exchange-movements --unmatched)`;
}
