// @helperkit/nest/metrics: Prometheus metrics (optional peer prom-client). See docs/operations.md.
export { HelperMetricsModule } from './metrics.module.js';
export {
  HELPER_METRICS_OPTIONS,
  HelperMetrics,
  type HelperMetricsOptions,
} from './helper-metrics.js';
export { HELPER_METRIC_NAMES } from './metric-set.js';
