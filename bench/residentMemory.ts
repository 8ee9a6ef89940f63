import { readFileSync } from 'node:fs';

/**
 * What a process's resident memory is made of, from Linux's /proc/self/status: anonymous pages (its
 * heaps) and file-backed ones. A process that maps its case file into memory (the trace's ledger,
 * src/store/traceLedger.ts) counts every page of the file it touches in its RSS, though those are
 * the kernel's page cache, shared and droppable: peak RSS alone then says little about the memory
 * it needs (docs/performance.md).
 */
export interface ResidentMemory {
  anonMb: number;
  fileMb: number;
}

/** The RssAnon and RssFile lines of a /proc/<pid>/status text, in MB; undefined if either is missing. */
export function parseResidentMemory(status: string): ResidentMemory | undefined {
  const kb = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match ? Number(match[1]) : undefined;
  };
  const anon = kb('RssAnon');
  const file = kb('RssFile');
  return anon === undefined || file === undefined ? undefined : { anonMb: anon / 1024, fileMb: file / 1024 };
}

/** This process's resident memory now, or undefined where /proc is not there (not Linux). */
export function residentMemory(): ResidentMemory | undefined {
  try {
    return parseResidentMemory(readFileSync('/proc/self/status', 'utf8'));
  } catch {
    return undefined;
  }
}
