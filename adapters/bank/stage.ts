/**
 * The statement stages (order, running balance, same-day order, transfers) are synchronous
 * transforms: each takes one item and appends what it lets through. Chaining them costs a
 * function call per item, not an async hop per stage, which on a million-line export is most
 * of the difference between reading and reading-and-checking.
 */
export interface Stage<I, O> {
  push(item: I, out: O[]): void;
  end(out: O[]): void;
}

export function chainStages<A, B, C>(first: Stage<A, B>, second: Stage<B, C>): Stage<A, C> {
  const middle: B[] = [];
  const drain = (out: C[]): void => {
    for (const item of middle) second.push(item, out);
    middle.length = 0;
  };
  return {
    push(item, out) {
      first.push(item, middle);
      drain(out);
    },
    end(out) {
      first.end(middle);
      drain(out);
      second.end(out);
    },
  };
}

export async function* runStage<I, O>(items: AsyncIterable<I>, stage: Stage<I, O>): AsyncGenerator<O> {
  const out: O[] = [];
  for await (const item of items) {
    stage.push(item, out);
    if (out.length > 0) {
      const ready = out.splice(0);
      yield* ready;
    }
  }
  stage.end(out);
  yield* out;
}
