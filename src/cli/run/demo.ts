import { resolve } from 'node:path';
import { runDemo, type DemoResult } from '../../demo/runDemo.js';
import { formatTraceSummary } from './traceSummary.js';
import type { DemoCliOptions } from '../commands/demo.js';

export async function runDemoCommand(options: DemoCliOptions): Promise<DemoResult> {
  const started = Date.now();
  const result = await runDemo({ out: resolve(options.out), timestamp: options.timestamp, log: (line) => process.stderr.write(line + '\n') });
  process.stdout.write('Golden Lotus demo case (samples/README.md tells the story)\n\n');
  process.stdout.write(formatTraceSummary(result.traces['fifo']!));
  process.stdout.write(`\nfiles in ${result.out}:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}
