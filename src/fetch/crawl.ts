import type { TraceResult } from '../model/trace.js';
import type { Rail } from '../model/types.js';

/** Fetches accounts' transfers into the case on one rail, for the crawl. */
export interface AccountFetcher {
  readonly rail: Rail;
  /** Everything these accounts sent or received, into the case file. */
  fetchAccounts(idents: readonly string[]): Promise<void>;
  /** Accounts to fetch so that a seed names a transfer in the case (its sender), or none. */
  seedAccounts(seed: string): Promise<string[]>;
}

/** The case the crawl traces, a case file or a PostgreSQL case, as it is after each fetch. */
export interface CrawlTracer {
  /** Whether a seed names a transfer in the case. */
  names(seed: string): Promise<boolean>;
  /** The trace of the crawl's seeds over what the case holds now. */
  trace(): Promise<TraceResult>;
}

export interface CrawlParams {
  tracer: CrawlTracer;
  seeds: readonly string[];
  fetcher: AccountFetcher;
  /** Accounts fetched in all, seeds' senders included. */
  maxAccounts: number;
  onRound?: (round: number, fetching: readonly string[]) => void;
}

export interface CrawlResult {
  result: TraceResult;
  rounds: number;
  fetched: string[];
  /** Accounts holding traced money that were not fetched because --max-accounts was reached. */
  notFetched: string[];
}

/**
 * Accounts the traced money reached and may have left again: recipients of carried or linked
 * hops on this rail. Endpoints, hop-limit and threshold stops are not followed, so they are not
 * fetched (an exchange's hot wallet has millions of transfers).
 */
export function accountsToFollow(result: TraceResult, rail: Rail): string[] {
  const reached = new Set<string>();
  for (const edge of result.edges) if (edge.rail === rail && (edge.outcome === 'carried' || edge.outcome === 'linked')) reached.add(edge.to);
  return [...reached].sort();
}

/**
 * `hoptrace trace --fetch`: trace, fetch every account holding traced money that is not fetched
 * yet, trace again, until no new account is reached. Each traced account's whole ledger (in and
 * out) is then in the case, so the result is the trace of the fully fetched data, for the
 * accounts the money passed through: what a rule allocates at an account depends only on that
 * account's transfers and on which of its receipts were traced.
 */
export async function crawlTrace(params: CrawlParams): Promise<CrawlResult> {
  const { fetcher } = params;
  const fetched = new Set<string>();
  const fetch = async (round: number, wanted: readonly string[]): Promise<string[]> => {
    const fresh = [...new Set(wanted)].filter((ident) => !fetched.has(ident));
    const room = Math.max(0, params.maxAccounts - fetched.size);
    const batch = fresh.slice(0, room);
    if (batch.length > 0) {
      params.onRound?.(round, batch);
      await fetcher.fetchAccounts(batch);
      for (const ident of batch) fetched.add(ident);
    }
    return fresh.slice(room);
  };
  const seedSenders: string[] = [];
  for (const seed of params.seeds) {
    // An account seed means all its payments: fetch it. Another seed only when the case lacks it.
    if (seed.startsWith('account:') || !(await params.tracer.names(seed))) seedSenders.push(...(await fetcher.seedAccounts(seed)));
  }
  let notFetched = await fetch(0, seedSenders);
  for (let round = 1; ; round++) {
    const result = await params.tracer.trace();
    const frontier = accountsToFollow(result, fetcher.rail).filter((ident) => !fetched.has(ident));
    if (frontier.length === 0 || fetched.size >= params.maxAccounts) {
      notFetched = [...new Set([...notFetched, ...frontier])].sort();
      return { result, rounds: round, fetched: [...fetched].sort(), notFetched };
    }
    notFetched = await fetch(round, frontier);
  }
}
