import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { queueBackendName } from '../queue/queue-connection';
import { MAIL_QUEUE } from '../queue/queue.constants';
import { CHECK_TIMEOUT_MS, within } from './within';

/**
 * Kubernetes-style probes beside GET /health (which keeps its own body, relied on by monitoring):
 * `live` says the process serves HTTP at all (restart it when not), `ready` that it can do its
 * work, PostgreSQL and the queue backend answering (take it out of the load balancer when not).
 * Liveness checks no dependency on purpose: a database outage must not restart every api.
 */
@ApiTags('health')
@Controller('health')
export class ProbesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
  ) {}

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: 200 while the process serves HTTP; checks no dependency', security: [] })
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.floor(process.uptime()) })]);
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: 200 when PostgreSQL and the queue backend answer, 503 naming what does not', security: [] })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }), () => this.queueCheck()]);
  }

  private async queueCheck() {
    const check = this.indicators.check('queue');
    const backend = queueBackendName(this.config);
    try {
      await within(this.queue.getJobCounts('waiting'));
      return check.up({ backend });
    } catch (error) {
      return check.down({ backend, message: (error as Error).message });
    }
  }
}
