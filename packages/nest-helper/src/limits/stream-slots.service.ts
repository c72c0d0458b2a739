import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import { InjectLimitStorage } from '../storage/storage.tokens.js';
import { InjectLimitClock, type LimitClock } from './limit-clock.js';
import type { LimitStorage, StreamCaps } from './limit.storage.js';
import { RateLimitedError } from './rate-limited.error.js';

/** How often this instance renews its streams' leases, and learns which were replaced. */
export const STREAM_HEARTBEAT_MS = 15_000;
/** A stream whose instance stopped renewing (a crash) stops counting after this. */
export const STREAM_LEASE_MS = 3 * STREAM_HEARTBEAT_MS;
/** What a client refused for too many streams from its IP is told to wait. */
export const STREAM_RETRY_AFTER_SECONDS = 30;

/** One admitted stream: `replaced` fires when a newer stream of its owner took its place. */
export interface StreamTicket {
  readonly id: string;
  onReplaced(callback: () => void): void;
  /** Frees its place; safe to call more than once. */
  release(): void;
}

interface HeldStream {
  replacedCallbacks: Array<() => void>;
  replaced: boolean;
}

/**
 * This instance's open event streams, counted in the storage with every other instance's. Each
 * stream is a row leased to this instance; one shared timer renews the leases, so the rows of an
 * instance that died stop counting once their lease ends. A newer stream of the same owner on
 * another instance deletes the row; the renewal finds it gone and closes the stream
 * (docs/limits.md, "Event streams").
 */
@Injectable()
export class StreamSlots implements OnModuleDestroy {
  readonly instanceId = randomUUID();
  private readonly logger = new Logger('HelperModule');
  private readonly held = new Map<string, HeldStream>();
  private readonly caps: StreamCaps;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectResolvedHelperOptions() options: ResolvedHelperOptions,
    @InjectLimitStorage() private readonly storage: LimitStorage,
    @InjectLimitClock() private readonly clock: LimitClock,
  ) {
    this.caps = { perOwner: options.limits.streamsPerIdentity, perIp: options.limits.streamsPerIp };
  }

  /** Admits a stream of `owner` from `ip`, or throws RateLimitedError over the IP cap. */
  async open(owner: string, ip: string): Promise<StreamTicket> {
    const id = randomUUID();
    const now = this.clock();
    const admission = await this.storage.openStream(
      { id, instanceId: this.instanceId, owner, ip },
      this.caps,
      new Date(now),
      new Date(now + STREAM_LEASE_MS),
    );
    if (!admission.admitted) {
      throw new RateLimitedError(
        'Too many open live-update connections from your network: close some and try again.',
        STREAM_RETRY_AFTER_SECONDS,
      );
    }
    const stream: HeldStream = { replacedCallbacks: [], replaced: false };
    this.held.set(id, stream);
    admission.replaced.forEach((replacedId) => this.replace(replacedId));
    this.startTimer();
    return {
      id,
      onReplaced: (callback) => {
        if (stream.replaced) callback();
        else stream.replacedCallbacks.push(callback);
      },
      release: () => this.release(id),
    };
  }

  /**
   * Renews the leases of this instance's streams and closes those whose rows are gone: another
   * instance replaced them. Run by the timer; callable directly (tests).
   */
  async renew(): Promise<void> {
    const ids = [...this.held.keys()];
    if (ids.length === 0) return;
    const now = this.clock();
    const kept = new Set(await this.storage.renewStreams(ids, new Date(now + STREAM_LEASE_MS)));
    ids.filter((id) => !kept.has(id)).forEach((id) => this.replace(id));
    await this.storage.sweep(new Date(now));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopTimer();
    const ids = [...this.held.keys()];
    this.held.clear();
    await this.storage.closeStreams(ids).catch(() => undefined);
  }

  /** Closes one of this instance's streams as replaced (a stream elsewhere is left to its own). */
  private replace(id: string): void {
    const stream = this.held.get(id);
    if (!stream || stream.replaced) return;
    stream.replaced = true;
    this.held.delete(id);
    stream.replacedCallbacks.splice(0).forEach((callback) => callback());
    if (this.held.size === 0) this.stopTimer();
  }

  private release(id: string): void {
    if (!this.held.delete(id)) return;
    if (this.held.size === 0) this.stopTimer();
    this.storage
      .closeStreams([id])
      .catch((error: unknown) => this.logger.warn(`Limits: closing a stream failed (${error}).`));
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.renew().catch((error: unknown) =>
        this.logger.warn(`Limits: renewing the streams' leases failed (${String(error)}).`),
      );
    }, STREAM_HEARTBEAT_MS);
    // Open streams keep the process busy already; the timer alone must not.
    this.timer.unref();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
