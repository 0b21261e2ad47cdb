import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { PeriodicJob } from '../queue/periodic-job';
import { QUOTA_RELEASE_QUEUE } from '../queue/queue.constants';
import { ReleaseQuotas } from './use-cases/release-quotas';

const EVERY_MS = 30_000;

/**
 * Returns unclaimed cluster quota seats to the open pool at each event's release time and moves
 * the waiting list up. ReleaseQuotas makes each release happen once (event lock and flag).
 */
@Processor(QUOTA_RELEASE_QUEUE)
export class QuotaReleaseJob extends PeriodicJob {
  constructor(
    @InjectQueue(QUOTA_RELEASE_QUEUE) queue: Queue,
    private readonly releaseQuotas: ReleaseQuotas,
  ) {
    super(queue, 'release-quotas', EVERY_MS);
  }

  protected async runOnce(): Promise<string> {
    const promoted = await this.releaseQuotas.execute();
    return promoted > 0 ? `quota release moved ${promoted} people off the waiting list` : '';
  }
}
