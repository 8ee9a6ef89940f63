/**
 * Runs the tasks `next()` hands out with at most `concurrency` in flight, and gives their results
 * to `consume` in the order the tasks were started, so ranges are stored in block order. `next()`
 * is asked again after every result, since consuming one may add work (a refused range comes
 * back in pieces); it all ends when nothing is running and `next()` has nothing. The first
 * failure stops it (results of tasks still running are dropped, never stored).
 */
export async function runOrdered<T>(
  concurrency: number,
  next: () => (() => Promise<T>) | undefined,
  consume: (result: T) => void | Promise<void>,
): Promise<void> {
  const inFlight: Promise<T>[] = [];
  const fill = (): void => {
    while (inFlight.length < Math.max(1, concurrency)) {
      const task = next();
      if (!task) return;
      const running = task();
      // Failures are rethrown when the task reaches the head; this only stops Node calling an
      // abandoned one unhandled.
      running.catch(() => undefined);
      inFlight.push(running);
    }
  };
  fill();
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    await consume(result);
    fill();
  }
}

/** `fn` over `items` with at most `limit` calls at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let index = 0;
  const worker = async (): Promise<void> => {
    while (index < items.length) {
      const mine = index++;
      results[mine] = await fn(items[mine]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
