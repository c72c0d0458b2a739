// @helperkit/nest/terminus: health checks (optional peer @nestjs/terminus). See docs/operations.md.
export { HelperHealthModule } from './health.module.js';
export {
  DEFAULT_MAX_PENDING_AGE_MS,
  DEFAULT_SMTP_TIMEOUT_MS,
  HelperHealthIndicator,
} from './helper-health.indicator.js';
