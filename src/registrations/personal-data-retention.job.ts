import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { PeriodicJob } from '../queue/periodic-job';
import { PERSONAL_DATA_RETENTION_QUEUE } from '../queue/queue.constants';
import { AnonymiseExpired } from './use-cases/anonymise-expired';

const EVERY_MS = 60 * 60_000;

/** Anonymises the registrations of events that ended longer ago than the stated retention (PIPA). */
@Processor(PERSONAL_DATA_RETENTION_QUEUE)
export class PersonalDataRetentionJob extends PeriodicJob {
  constructor(
    @InjectQueue(PERSONAL_DATA_RETENTION_QUEUE) queue: Queue,
    private readonly anonymiseExpired: AnonymiseExpired,
  ) {
    super(queue, 'anonymise-registrations', EVERY_MS);
  }

  protected async runOnce(): Promise<string> {
    const count = await this.anonymiseExpired.execute();
    return count > 0 ? `personal data retention anonymised ${count} registrations` : '';
  }
}
