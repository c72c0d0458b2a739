import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HelperHealthIndicator } from './helper-health.indicator.js';

/**
 * Provides `HelperHealthIndicator` for the host's own health controller; imported next to
 * HelperModule (docs/operations.md, "Health").
 */
@Module({
  imports: [TerminusModule],
  providers: [HelperHealthIndicator],
  exports: [HelperHealthIndicator],
})
export class HelperHealthModule {}
