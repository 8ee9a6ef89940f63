import { describe, expect, it } from 'vitest';
import { parseResidentMemory } from '../../bench/residentMemory.js';

// The trace bench reports its peak RSS split into anonymous and mapped file pages
// (docs/performance.md): the trace maps its case file, whose pages count in RSS.
describe('resident memory from /proc/self/status', () => {
  it('reads RssAnon and RssFile in MB', () => {
    const status = 'Name:\tnode\nVmHWM:\t 1498464 kB\nVmRSS:\t 1498464 kB\nRssAnon:\t  118212 kB\nRssFile:\t 1380252 kB\nRssShmem:\t       0 kB\n';
    expect(parseResidentMemory(status)).toEqual({ anonMb: 118212 / 1024, fileMb: 1380252 / 1024 });
  });

  it('is undefined when either line is missing', () => {
    expect(parseResidentMemory('VmRSS:\t 1 kB\nRssAnon:\t 2 kB\n')).toBeUndefined();
    expect(parseResidentMemory('RssFile:\t 2 kB\n')).toBeUndefined();
  });
});
