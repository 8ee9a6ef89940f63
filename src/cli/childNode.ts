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
 *   otherwise keep until after their output is built (src/cluster/collectGarbage.ts). Their
 *   environment fixes glibc's mmap threshold (childNodeEnv).
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

/**
 * Past this size (128 KiB, glibc's default) an allocation is mapped on its own and given back to
 * the system when freed.
 */
const MMAP_THRESHOLD = 131_072;

/**
 * What the child Node of `command` gets in its environment besides this process's.
 *
 * Cluster and detect build typed arrays of several MB per heuristic or typology and let them go
 * before the next. glibc maps such a block on its own and unmaps it when freed, but then raises its
 * mmap threshold to the freed block's size (up to 32 MiB), so the next ones come from its heap,
 * which it seldom gives back: the process kept the high-water mark of every step's working memory.
 * `MALLOC_MMAP_THRESHOLD_` fixes the threshold. At 1,000,000 addresses / 5,252,220 transfers,
 * peak RSS: detect 575 → 529 MB, cluster 527 → 444 MB, the output the same (docs/performance.md,
 * `detect`). Not for ingest, where it cost 5–7 % CPU for 20–27 MB; a threshold set by the user is kept.
 */
export function childNodeEnv(command: string | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  if (command === undefined || !HOLDING.has(command) || env['MALLOC_MMAP_THRESHOLD_'] !== undefined) return {};
  return { MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD) };
}

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
