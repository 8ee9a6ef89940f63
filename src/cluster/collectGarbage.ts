/**
 * A full garbage collection, when Node runs with `--expose-gc` (bin/hoptrace starts cluster and
 * detect so); otherwise nothing. Called where a command has let go of a large input: the sort
 * scratch of the load, the transfers once clustered or detected on, the lookups of the evidence.
 * V8 kept those (the transfer columns alone are 240 MB at 5,000,000 transfers) until after the
 * output was built, which was the command's peak: `hoptrace cluster` at 1,000,000 accounts peaked
 * at 745–784 MB without these calls, 580–594 MB with them (each costs tens of ms).
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
