import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import type { Response } from 'express';
import { OutboxBacklog, OutboxService } from '../notifications/outbox/outbox.service';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { queueBackendName } from '../queue/queue-connection';
import { MAIL_QUEUE } from '../queue/queue.constants';
import { within } from './within';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
  ) {}

  /** 200 when PostgreSQL and the queue backend answer (with the outbox backlog), 503 naming what does not. */
  @Get()
  @ApiOperation({ summary: 'Health: 200 when PostgreSQL and the queue backend answer, with the outbox backlog; 503 otherwise', security: [] })
  async check(@Res() response: Response): Promise<void> {
    let backlog: OutboxBacklog | undefined;
    const [database, queue] = await Promise.all([
      probe(async () => {
        backlog = await this.outbox.backlog();
      }),
      probe(() => this.queue.getJobCounts('waiting')),
    ]);
    const ok = database === 'up' && queue === 'up';
    response.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'unavailable',
      role: this.config.role,
      checks: { database, queue: { backend: queueBackendName(this.config), status: queue } },
      // A mail pending for long means the outbox is stuck (no worker, a lost job): say so here, where monitoring looks.
      outbox: backlog ?? null,
    });
  }
}

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await within(check());
    return 'up';
  } catch {
    return 'down';
  }
}
