import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { OutboxService } from './outbox.service';

interface Waiting {
  id: string;
  messageId: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Marks sent rows in batches: each row the SMTP server accepted waits at most
 * `MAIL_SENT_BATCH_MS` and is marked together with every other row finished meanwhile, in one
 * UPDATE, so a fan-out costs about one round trip per mail (the claim) instead of two.
 *
 * The mail job waits for its row's batch to be written before it completes, so the queue never
 * holds a completed job for a row still pending. A worker that dies within the window leaves its
 * rows pending and their jobs active: they come back after the job lock and are sent again as the
 * same message (same Message-ID, same links: invariant 10). A batch that cannot be written is
 * logged and fails each of its jobs, which the queue retries, with the same outcome.
 *
 * The batch is written at once when every worker slot is waiting on it (nothing else can finish
 * before the timer) and when the application shuts down.
 */
@Injectable()
export class OutboxSentBatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxSentBatcher.name);
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  /** Resolves once the row is marked sent; rejects if the batch could not be written (the row stays pending). */
  markSent(id: string, messageId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ id, messageId, resolve, reject });
      if (this.closing || this.config.mail.sentBatchMs === 0 || this.waiting.length >= this.config.queue.workerConcurrency) {
        void this.flush();
      } else {
        this.timer ??= setTimeout(() => void this.flush(), this.config.mail.sentBatchMs);
      }
    });
  }

  /** Writes what waits now; the jobs waiting on it complete or fail with it. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      await this.outbox.markSentMany(batch);
      for (const row of batch) row.resolve();
    } catch (error) {
      // The mails went out; the rows stay pending and are sent again, as the same messages, when their jobs retry.
      this.logger.error(
        `${batch.length} sent mail(s) could not be marked sent (outbox ${batch.map((row) => row.id).join(', ')}): ${(error as Error).message}; ` +
          'they stay pending and will be sent again with the same Message-ID',
      );
      for (const row of batch) row.reject(error);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.flush();
  }
}
