import { Module, type DynamicModule } from '@nestjs/common';
import {
  HELPER_METRICS_OPTIONS,
  HelperMetrics,
  type HelperMetricsOptions,
} from './helper-metrics.js';

/**
 * Prometheus metrics for helperkit, imported next to HelperModule: as is (prom-client's global
 * registry) or `HelperMetricsModule.forRoot({ registry })`. The host serves them on its own
 * route, e.g. `registry.metrics()` (docs/operations.md).
 */
@Module({ providers: [HelperMetrics], exports: [HelperMetrics] })
export class HelperMetricsModule {
  static forRoot(options: HelperMetricsOptions = {}): DynamicModule {
    return {
      module: HelperMetricsModule,
      providers: [{ provide: HELPER_METRICS_OPTIONS, useValue: options }],
    };
  }
}
