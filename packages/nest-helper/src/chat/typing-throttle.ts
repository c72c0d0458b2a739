/** A side's typing notices are passed on at most this often per conversation. */
const TYPING_INTERVAL_MS = 3000;
/** Past this many remembered keys, the expired ones are swept, so memory stays bounded. */
const SWEEP_ABOVE = 1000;

/**
 * At most one accepted call per key in any `intervalMs`. Kept in this instance's memory: several
 * instances each let one through, which a typing indicator tolerates (docs/protocol.md, "Typing").
 */
export class TypingThrottle {
  private readonly accepted = new Map<string, number>();

  constructor(
    private readonly intervalMs = TYPING_INTERVAL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when this call is the one let through; false when one was in the last interval. */
  accept(key: string): boolean {
    const at = this.clock();
    const last = this.accepted.get(key);
    if (last !== undefined && at - last < this.intervalMs) return false;
    if (this.accepted.size >= SWEEP_ABOVE) this.sweep(at);
    this.accepted.set(key, at);
    return true;
  }

  private sweep(at: number): void {
    for (const [key, last] of this.accepted) {
      if (at - last >= this.intervalMs) this.accepted.delete(key);
    }
  }
}
