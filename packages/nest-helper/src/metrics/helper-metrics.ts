import {
  Inject,
  Injectable,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { register, type Registry } from 'prom-client';
import { HelperObserver } from '../observability/helper-observer.js';
import { HelperOutboxBacklog } from '../observability/outbox-backlog.js';
import { HELPER_METRIC_NAMES, registerHelperMetrics } from './metric-set.js';

export interface HelperMetricsOptions {
  /** Where the metrics are registered; default prom-client's global registry. */
  registry?: Registry;
}

export const HELPER_METRICS_OPTIONS = 'HELPER_METRICS_OPTIONS';

/**
 * helperkit's Prometheus metrics, counted from the module's observer. They are registered when
 * the application starts and removed when it closes, so one registry serves one application at a
 * time: two applications in one process (tests) each name their own registry.
 */
@Injectable()
export class HelperMetrics implements OnModuleInit, OnModuleDestroy {
  /** The registry the metrics are on: serve `registry.metrics()` on the host's route. */
  readonly registry: Registry;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly observer: HelperObserver,
    private readonly backlog: HelperOutboxBacklog,
    @Optional() @Inject(HELPER_METRICS_OPTIONS) options: HelperMetricsOptions | null,
  ) {
    this.registry = options?.registry ?? register;
  }

  onModuleInit(): void {
    const taken = Object.values(HELPER_METRIC_NAMES).filter(
      (name) => this.registry.getSingleMetric(name) !== undefined,
    );
    if (taken.length > 0) {
      throw new Error(
        `HelperMetricsModule: ${taken.join(', ')} already registered in this registry (another ` +
          'application in this process?). Give each application its own registry: ' +
          'HelperMetricsModule.forRoot({ registry: new Registry() }).',
      );
    }
    this.unsubscribe = this.observer.subscribe(registerHelperMetrics(this.registry, this.backlog));
  }

  /**
   * When an identity of `mailbox` last verified with the secret at `secretIndex` (1: the previous
   * secret), since this process started; null when never. For a dashboard that tells when a
   * rotation can be finished (docs/operations.md, "Rotation").
   */
  async lastVerifiedAt(mailbox: string, secretIndex: number): Promise<Date | null> {
    const gauge = this.registry.getSingleMetric(HELPER_METRIC_NAMES.identityLastVerified);
    const sample = (await gauge?.get())?.values.find(
      ({ labels }) => labels.mailbox === mailbox && labels.secret_index === String(secretIndex),
    );
    return sample ? new Date(sample.value * 1000) : null;
  }

  onModuleDestroy(): void {
    if (!this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    Object.values(HELPER_METRIC_NAMES).forEach((name) => this.registry.removeSingleMetric(name));
  }
}
