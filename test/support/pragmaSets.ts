import type { Db } from '../../src/store/caseStore.js';

/**
 * Records every pragma the code sets on this connection (`name = value`, in order), still passing
 * each call on: what a write or a read changes on the case's own connection, and puts back.
 */
export function recordPragmaSets(db: Db): string[] {
  const set: string[] = [];
  const pragma = db.pragma.bind(db);
  db.pragma = ((source: string, options?: Parameters<typeof db.pragma>[1]) => {
    if (source.includes('=')) set.push(source);
    return pragma(source, options);
  }) as typeof db.pragma;
  return set;
}
