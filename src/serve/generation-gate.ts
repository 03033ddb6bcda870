import { ApiError } from './api-error.js';

/**
 * Bounds concurrent generations: at most `concurrency` run at once, at most `queue` wait;
 * a request beyond that gets a 429 (the client retries with backoff) instead of piling up.
 *
 * @example
 * ```ts
 * const gate = new GenerationGate(4, 64);
 * const release = await gate.acquire();
 * try { await generate(); } finally { release(); }
 * ```
 */
export class GenerationGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queue: number,
  ) {}

  /** Generations running now. */
  get active(): number {
    return this.running;
  }

  /** Waits for a slot; throws a 429 `ApiError` when the wait queue is full. */
  async acquire(): Promise<() => void> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new ApiError(429, 'the server is at its limit of concurrent generations; retry later', {
          type: 'requests',
          code: 'rate_limit_exceeded',
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` stays the same.
      if (next) next();
      else this.running--;
    };
  }
}
