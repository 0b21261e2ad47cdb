import { WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';

/**
 * Periodic work in the worker role, as a BullMQ job scheduler (STYLE: never a timer in every api
 * process). Each kind of work has its own queue and one scheduler in it; upserting the scheduler at
 * every start is idempotent, so any number of workers may start, and each run is one job that
 * exactly one of them takes. A subclass is a `@Processor(QUEUE)` that names the work and does it.
 */
export abstract class PeriodicJob extends WorkerHost implements OnApplicationBootstrap {
  protected readonly logger = new Logger(this.constructor.name);

  protected constructor(
    private readonly queue: Queue,
    /** The job name, also the scheduler's id. */
    private readonly jobName: string,
    private readonly everyMs: number,
  ) {
    super();
  }

  /** Does one round of the work; returns what it did, for the job's result and the log. */
  protected abstract runOnce(): Promise<string>;

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(this.jobName, { every: this.everyMs }, { name: this.jobName, opts: { removeOnComplete: 50, removeOnFail: 50 } });
  }

  async process(job: Job): Promise<string> {
    if (job.name !== this.jobName) throw new UnrecoverableError(`no handler for job ${job.name} on ${this.queue.name}`);
    const outcome = await this.runOnce();
    if (outcome) this.logger.log(outcome);
    return outcome;
  }
}
