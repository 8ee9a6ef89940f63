/**
 * The statement stages (order, running balance, same-day order, transfers) are synchronous
 * transforms: each takes one item and appends what it lets through. Chaining them costs a
 * function call per item, not an async hop per stage, which on a million-line export is most
 * of the difference between reading and reading-and-checking.
 */
export interface Stage<I, O> {
  push(item: I, out: O[]): void;
  end(out: O[]): void;
  /** `push` of each item in turn; a chain runs its first stage over the whole batch, then the next over what it let through. */
  pushAll?(items: readonly I[], out: O[]): void;
}

function pushAll<I, O>(stage: Stage<I, O>, items: readonly I[], out: O[]): void {
  if (stage.pushAll) stage.pushAll(items, out);
  else for (const item of items) stage.push(item, out);
}

/**
 * Two stages one after the other. Each stage's output depends only on the items it was given,
 * in order (the order decision they share is made before the first stage lets any line
 * through), so a batch can go through the first stage whole before the second sees any of it.
 */
export function chainStages<A, B, C>(first: Stage<A, B>, second: Stage<B, C>): Stage<A, C> {
  const middle: B[] = [];
  const drain = (out: C[]): void => {
    pushAll(second, middle, out);
    middle.length = 0;
  };
  return {
    push(item, out) {
      first.push(item, middle);
      drain(out);
    },
    pushAll(items, out) {
      pushAll(first, items, middle);
      drain(out);
    },
    end(out) {
      first.end(middle);
      drain(out);
      second.end(out);
    },
  };
}

/**
 * runStage over batches: each batch of items in (a chunk's lines), what the stages let through
 * out as one batch. A million-line statement passes through a few dozen async steps per chunk
 * instead of one per line and layer (docs/performance.md, "Ingest against a bare pipeline").
 */
export async function* runStageBatches<I, O>(batches: AsyncIterable<readonly I[]>, stage: Stage<I, O>): AsyncGenerator<O[]> {
  let out: O[] = [];
  for await (const batch of batches) {
    pushAll(stage, batch, out);
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  stage.end(out);
  if (out.length > 0) yield out;
}

/** Batches as the items they hold, in order. */
export async function* flattenBatches<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** Items as batches of one (a reader that gives items one at a time: camt, MT940). */
export async function* singletonBatches<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of items) yield [item];
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
