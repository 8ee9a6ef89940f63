import { sleep } from './retry.js';

/** Spaces request starts at least `1000 / perSecond` ms apart (TronGrid counts requests per second). */
export class RateLimiter {
  private nextStart = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  async take(): Promise<void> {
    const gap = 1000 / this.perSecond;
    const now = this.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + gap;
    if (start > now) await this.wait(start - now);
  }
}
