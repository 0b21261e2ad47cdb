import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DueEventsReader } from '../events/due-events.reader';
import { LinkTokensService } from '../link-tokens/link-tokens.service';
import { PeriodicJob } from '../queue/periodic-job';
import { RETENTION_QUEUE } from '../queue/queue.constants';
import { OutboxService } from './outbox/outbox.service';
import { Clock } from '../common/clock';

const EVERY_MS = 60 * 60_000;

/** Keeps the two tables that only grow in bounds: expired link tokens and old delivery records. */
@Processor(RETENTION_QUEUE)
export class RetentionJob extends PeriodicJob {
  constructor(
    @InjectQueue(RETENTION_QUEUE) queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: LinkTokensService,
    private readonly outbox: OutboxService,
    private readonly events: DueEventsReader,
    private readonly clock: Clock,
  ) {
    super(queue, 'retention', EVERY_MS);
  }

  protected async runOnce(): Promise<string> {
    const tokens = await this.tokens.deleteExpired();
    const days = this.config.outboxRetentionDays;
    const mails = await this.outbox.deleteDelivered(days, await this.events.endedBefore(new Date(this.clock.nowMs() - days * 86_400_000)));
    return tokens + mails > 0 ? `retention deleted ${tokens} expired link tokens and ${mails} old delivery records` : '';
  }
}
