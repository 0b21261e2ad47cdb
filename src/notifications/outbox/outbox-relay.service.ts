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
/**
 * A row queued this long ago and still pending is looked at again: its job may have finished
 * without sending (an old job under the same id), been lost with Redis, or been given up on.
 */
const RECHECK_AFTER = '1 minute';
/** Job states in which the job will still run: such a row is left to its job. */
const LIVE_JOB_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

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
      const rows: RelayRow[] = await manager.query(
        `SELECT id, message_key AS "messageKey", request_id AS "requestId", requeues, enqueued_at AS "enqueuedAt" FROM outbox
          WHERE status = 'pending' AND (enqueued_at IS NULL OR enqueued_at < now() - interval '${RECHECK_AFTER}')
          ORDER BY id
          LIMIT ${BATCH}
          FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      const requeued = await this.requeueDeadJobs(rows.filter((row) => row.enqueuedAt !== null));
      await this.queue.addBulk(
        rows.map((row) => ({
          name: SEND_MAIL_JOB,
          data: row.requestId ? { outboxId: String(row.id), requestId: row.requestId } : { outboxId: String(row.id) },
          opts: {
            jobId: mailJobId(row.messageKey, row.requeues),
            attempts: this.config.mail.maxAttempts,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        })),
      );
      await manager.query(`UPDATE outbox SET enqueued_at = now(), requeues = requeues + (id = ANY($2::bigint[]))::int WHERE id = ANY($1::bigint[])`, [
        rows.map((row) => row.id),
        requeued,
      ]);
      return rows.length;
    });
  }

  /**
   * Rows still pending long after they were queued, whose job will never send them: it completed
   * (a job of an older row under the same id, or one that found nothing to do), BullMQ gave up on
   * it before the worker could record anything on the row (e.g. the database was down), or it is
   * gone (Redis lost or flushed). Adding a job under an existing id does nothing, so such a row
   * gets a new job id (its `requeues` counter, bumped by the caller in the same transaction).
   * Rows whose job is still waiting or running are left to it, so a row never has two live jobs.
   * Returns the ids of the rows that take a new job id; their `requeues` in `rows` is updated.
   */
  private async requeueDeadJobs(staleRows: RelayRow[]): Promise<string[]> {
    const requeued: string[] = [];
    for (const row of staleRows) {
      const job = await this.queue.getJob(mailJobId(row.messageKey, row.requeues));
      const state = job ? await job.getState() : 'gone';
      if (LIVE_JOB_STATES.has(state)) continue;
      this.logger.warn(`outbox ${row.id}: still pending but its job is ${state}; queueing it again`);
      if (job && state === 'failed') await job.remove();
      row.requeues += 1;
      requeued.push(String(row.id));
    }
    return requeued;
  }
}

interface RelayRow {
  id: string;
  messageKey: string;
  requestId: string | null;
  requeues: number;
  enqueuedAt: Date | null;
}
