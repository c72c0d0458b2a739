import { Controller, Get, Header, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { HelperMetrics } from '@helperkit/nest/metrics';
import { HelperHealthIndicator } from '@helperkit/nest/terminus';

/**
 * The host's own operations routes, as helperkit's docs show them: `/health` for a load
 * balancer or orchestrator, `/metrics` for Prometheus (a real deployment keeps `/metrics` off
 * the public internet).
 */
@Controller()
export class OpsController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HelperHealthIndicator) private readonly helper: HelperHealthIndicator,
    @Inject(HelperMetrics) private readonly metrics: HelperMetrics,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.helper.storage(),
      () => this.helper.outbox(),
      () => this.helper.smtp(),
    ]);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  read(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
