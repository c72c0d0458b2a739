import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/** Idle connections get a ping this often, so proxies do not close them. */
export const PING_INTERVAL_MS = 25_000;
/** How often the heartbeat looks at the streams: token expiries are kept to this precision. */
const TICK_MS = 1000;
const TICKS_PER_PING = PING_INTERVAL_MS / TICK_MS;

/** What the heartbeat does for one open stream. */
export interface Beat {
  ping(): void;
  /** When the stream's token expires (epoch ms); absent for streams whose access does not. */
  expiresAt?: number;
  expire?(): void;
}

/**
 * One timer for every open event stream of this instance, instead of a ping interval and an
 * expiry timeout per connection: with thousands of streams open, a timer each is memory and
 * scheduling work that one shared tick does for all of them. The timer runs only while a stream
 * is open.
 */
@Injectable()
export class StreamHeartbeat implements OnModuleDestroy {
  private readonly beats = new Set<Beat>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticks = 0;

  /** Adds a stream; answers the function that removes it (call it when the stream ends). */
  add(beat: Beat): () => void {
    this.beats.add(beat);
    if (this.timer === undefined) {
      this.ticks = 0;
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
    return () => {
      this.beats.delete(beat);
      if (this.beats.size === 0) this.stop();
    };
  }

  onModuleDestroy(): void {
    this.stop();
  }

  private tick(): void {
    const now = Date.now();
    const ping = ++this.ticks % TICKS_PER_PING === 0;
    for (const beat of [...this.beats]) {
      if (beat.expiresAt !== undefined && beat.expiresAt <= now) beat.expire?.();
      else if (ping) beat.ping();
    }
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
