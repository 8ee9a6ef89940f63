/**
 * Which commands bin/hoptrace runs in a child Node, and with which V8 flags. Kept here, not in
 * bin/hoptrace, so that the benches start their measured child exactly as the CLI does
 * (docs/performance.md, "Ingest against a bare pipeline").
 *
 * - Streaming commands (ingest, fetch) run with a capped old generation: their live heap is a few
 *   dozen MB, but V8 otherwise lets garbage grow the heap to several hundred MB on a multi-GB
 *   export (HOPTRACE_STREAM_HEAP_MB, default 160; 0 runs them in this process, uncapped). Under a
 *   cap this low V8 sizes the old generation like a small device's: from a live heap of about
 *   25 MB it collected the whole old generation every 7–10 MB allocated there, 33 full collections
 *   for 300,000 TronGrid transfers, each marked concurrently on a helper thread as well (1.2 CPU-s
 *   of 5.9). An initial old generation of 64 MB lets it fill that far first: 6 collections, the
 *   cap unchanged.
 * - Commands that hold a whole case in memory (cluster, detect) run with `--expose-gc`: they
 *   collect once where they let go of their largest input, the transfers, which V8 would
 *   otherwise keep until after their output is built (src/cluster/collectGarbage.ts).
 * - Graph exports stream every transfer of a case through objects that die young: semi-spaces of
 *   2 MB instead of up to 16 MB, which V8 grows to on a long stream and which was a fifth of a
 *   1,000,000-edge export's peak memory (docs/performance.md, "Export").
 */
const STREAMING = new Set(['ingest', 'fetch']);
const HOLDING = new Set(['cluster', 'detect']);
const STREAMING_OUT = new Set(['export']);

/** The old generation's cap for streaming commands, in MB, unless HOPTRACE_STREAM_HEAP_MB says otherwise. */
const STREAM_HEAP_MB = '160';
/** The old generation a streaming command starts with, in MB (at most its cap). */
const STREAM_INITIAL_OLD_MB = 64;

/** The V8 flags of the child Node that runs `command`, or undefined when it runs in this process. */
export function childNodeFlags(command: string | undefined, env: NodeJS.ProcessEnv): string[] | undefined {
  if (command === undefined) return undefined;
  if (STREAMING.has(command)) {
    const heapMb = env['HOPTRACE_STREAM_HEAP_MB'] ?? STREAM_HEAP_MB;
    if (heapMb === '0') return undefined;
    const flags = [`--max-old-space-size=${heapMb}`];
    const cap = Number(heapMb);
    if (Number.isFinite(cap) && cap > 0) flags.push(`--initial-old-space-size=${Math.min(STREAM_INITIAL_OLD_MB, cap)}`);
    return flags;
  }
  if (HOLDING.has(command)) return ['--expose-gc'];
  if (STREAMING_OUT.has(command)) return ['--max-semi-space-size=2'];
  return undefined;
}
