import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, UnrecoverableError } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import { DataSource } from 'typeorm';
import { Metrics } from '../../common/metrics/metrics.service';
import { MAIL_QUEUE, SEND_MAIL_JOB, SendMailJob } from '../../queue/queue.constants';
import { OutboxClaimBatcher } from '../outbox/outbox-claim-batcher.service';
import { OutboxSentBatcher } from '../outbox/outbox-sent-batcher.service';
import { OutboxService } from '../outbox/outbox.service';
import { NON_ESSENTIAL_KINDS, SuppressionsService } from '../suppressions/suppressions.service';
import { isPermanentMailError, isRecipientBounce, MailerService, SentMail } from './mailer.service';
import { MailComposer } from './mail-composer.service';
import { MailNotNeeded } from './mail-not-needed';

/**
 * Sends one outbox row per job. The row, not the job, is the truth: a row already sent is
 * skipped (a job relayed twice sends once), and each attempt is recorded on the row. An address
 * on the suppression list gets nothing (the row is skipped, `suppressed: <reason>`); a permanent
 * refusal of the recipient fails the row and puts the address on the list.
 */
// Concurrency and lock times come from the config, through the worker class set in queue-connection.ts.
@Processor(MAIL_QUEUE)
export class MailProcessor extends WorkerHost {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly claimBatcher: OutboxClaimBatcher,
    private readonly sentBatcher: OutboxSentBatcher,
    private readonly composer: MailComposer,
    private readonly mailer: MailerService,
    private readonly suppressions: SuppressionsService,
    private readonly metrics: Metrics,
    private readonly pino: PinoLogger,
  ) {
    super();
  }

  async process(job: Job<SendMailJob>): Promise<string> {
    // Every log line written while this job runs, by any service, carries the job and the request that queued its mail.
    const logger = this.pino.logger.child({ job: { queue: MAIL_QUEUE, id: job.id, attempt: job.attemptsMade + 1 }, requestId: job.data.requestId });
    return storage.run(new Store(logger), () => this.send(job));
  }

  private async send(job: Job<SendMailJob>): Promise<string> {
    if (job.name !== SEND_MAIL_JOB) throw new UnrecoverableError(`no handler for job ${job.name} on ${MAIL_QUEUE}`);
    // One statement, shared with the jobs starting with this one, takes the row, counts the attempt or
    // skips a suppressed address, and reads the event's version for the composer's cache; another,
    // shared with the jobs finishing with it, marks it sent.
    const claimed = await this.claimBatcher.claim(job.data.outboxId, NON_ESSENTIAL_KINDS);
    if (!claimed) {
      const row = await this.outbox.findRow(job.data.outboxId);
      return row ? `skipped: ${row.status}` : 'skipped: row gone';
    }
    const { row, suppressed, eventVersion } = claimed;
    if (suppressed) {
      this.metrics.mail('suppressed');
      return `skipped: suppressed (${suppressed})`;
    }
    let sent: SentMail;
    try {
      const message = await this.composer.compose(row, { eventVersion });
      sent = await this.mailer.send(message, `${row.kind}-${row.id}`);
    } catch (error) {
      if (error instanceof MailNotNeeded) {
        await this.outbox.markSkipped(row.id, error.message);
        return 'skipped: not needed any more';
      }
      this.metrics.mail('failed');
      const permanent = isPermanentMailError(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const reason = (error as Error).message ?? String(error);
      await this.dataSource.transaction(async (manager) => {
        await this.outbox.recordFailure(manager, row.id, reason, permanent || lastAttempt);
        // The address bounced: no more mail to it until an organizer lifts the suppression.
        if (isRecipientBounce(error)) await this.suppressions.suppress(row.recipient, 'bounce', reason, manager);
      });
      this.logger.warn(`outbox ${row.id} (${row.kind}) attempt ${job.attemptsMade + 1} failed${permanent ? ' permanently' : ''}: ${reason}`);
      if (permanent) throw new UnrecoverableError(reason);
      throw error;
    }
    // Marked with the other rows the pool finished meanwhile (one UPDATE). If that fails the batcher
    // has logged it; the job fails and its retry sends the same message again (invariant 10).
    await this.sentBatcher.markSent(row.id, sent.messageId);
    this.metrics.mail('sent');
    this.logger.debug(`outbox ${row.id} (${row.kind}) sent as ${sent.messageId}`);
    return 'sent';
  }
}
