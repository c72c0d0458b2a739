/**
 * Fixed-window request counting per key, in memory. `@nestjs/throttler` would be the usual
 * choice, but its current release is CommonJS requiring the ES-module-only `@nestjs/common` 12,
 * which test runners on Node 20 cannot load; this is the small part of it that helperkit needs.
 * Limits are per application instance.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Past this many tracked keys, expired windows are swept so memory stays bounded. */
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request; answers how long to wait, in ms, when the key is over its limit. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (!window && this.windows.size >= this.maxKeys) this.sweep(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) return { allowed: false, retryAfterMs: window.resetAt - now };
    window.count++;
    return { allowed: true };
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Every window still running: drop the oldest keys rather than grow without bound.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
