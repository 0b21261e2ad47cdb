import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { GatheredStatement } from './gathered-statement';
import { OutboxService } from './outbox.service';

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
  private readonly statement: GatheredStatement<{ id: string; messageId: string }, void>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, outbox: OutboxService) {
    this.statement = new GatheredStatement<{ id: string; messageId: string }, void>({
      waitMs: config.mail.sentBatchMs,
      size: config.queue.workerConcurrency,
      run: async (rows) => {
        try {
          await outbox.markSentMany(rows);
          return rows.map(() => undefined);
        } catch (error) {
          // The mails went out; the rows stay pending and are sent again, as the same messages, when their jobs retry.
          this.logger.error(
            `${rows.length} sent mail(s) could not be marked sent (outbox ${rows.map((row) => row.id).join(', ')}): ${(error as Error).message}; ` +
              'they stay pending and will be sent again with the same Message-ID',
          );
          throw error;
        }
      },
    });
  }

  /** Resolves once the row is marked sent; rejects if the batch could not be written (the row stays pending). */
  markSent(id: string, messageId: string): Promise<void> {
    return this.statement.add({ id, messageId });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.statement.close();
  }
}
