import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { MAIL_QUEUE, mailJobId, SEND_MAIL_JOB, SendMailJob } from '../../queue/queue.constants';
import { OutboxService } from './outbox.service';

const BATCH = 500;
/** A row enqueued this long ago and still pending is enqueued again: its job may have been lost with Redis. */
const REENQUEUE_AFTER = '10 minutes';

/**
 * Moves pending outbox rows into the mail queue, with the row id as the job id, so a row that is
 * relayed twice (a relay that died between add and commit, two api instances) is still one job.
 * Runs in every process; FOR UPDATE SKIP LOCKED lets several relays share the work.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue<SendMailJob>,
    outbox: OutboxService,
  ) {
    outbox.onCommitted(() => this.kick());
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Relay now (after a commit that wrote rows); a relay already running goes round once more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        let moved: number;
        do {
          this.again = false;
          moved = await this.relayBatch();
        } while ((moved === BATCH || this.again) && !this.stopped);
      } catch (error) {
        // Queue or database unreachable: the rows stay pending and the next tick tries again.
        this.logger.warn(`outbox relay failed, will retry: ${(error as Error).message}`);
      }
    })();
    await this.running;
    this.running = undefined;
    this.schedule(this.config.queue.relayIntervalMs);
  }

  /** One batch in one transaction: the rows are marked enqueued only if BullMQ took the jobs. */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; requeues: number; enqueued_at: Date | null }[] = await manager.query(
        `SELECT id, requeues, enqueued_at FROM outbox
          WHERE status = 'pending' AND (enqueued_at IS NULL OR enqueued_at < now() - interval '${REENQUEUE_AFTER}')
          ORDER BY id
          LIMIT ${BATCH}
          FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      await this.clearFailedJobs(rows.filter((row) => row.enqueued_at !== null));
      await this.queue.addBulk(
        rows.map((row) => ({
          name: SEND_MAIL_JOB,
          data: { outboxId: String(row.id) },
          opts: {
            jobId: mailJobId(String(row.id), row.requeues),
            attempts: this.config.mail.maxAttempts,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        })),
      );
      await manager.query(`UPDATE outbox SET enqueued_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  /**
   * A row still pending long after it was enqueued, whose job BullMQ gave up on (every attempt
   * failed before the worker could record anything on the row, e.g. the database was down): the
   * failed job keeps its id, so adding it again would do nothing and the mail would never leave.
   * Such a job is removed so that the same id can be queued afresh. Jobs still waiting or active
   * are left alone, so a row is never worked on by two jobs at once.
   */
  private async clearFailedJobs(staleRows: { id: string; requeues: number }[]): Promise<void> {
    for (const row of staleRows) {
      const job = await this.queue.getJob(mailJobId(String(row.id), row.requeues));
      if (job && (await job.getState()) === 'failed') {
        this.logger.warn(`outbox ${row.id}: its job had failed while the row stayed pending; queueing it again`);
        await job.remove();
      }
    }
  }
}
