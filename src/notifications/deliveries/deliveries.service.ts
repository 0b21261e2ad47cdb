import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventsService } from '../../events/events.service';
import { MailKind, OutboxStatus } from '../outbox/outbox-message.entity';
import { OutboxBacklog, OutboxService } from '../outbox/outbox.service';
import { NON_ESSENTIAL_KINDS } from '../suppressions/suppressions.service';
import { DeliveryView } from './deliveries.dto';

/** What became of each mail of an event (the outbox rows), and putting failed ones back in line. */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly outbox: OutboxService,
  ) {}

  async list(eventId: string, status?: OutboxStatus): Promise<DeliveryView[]> {
    await this.events.get(eventId, { organizer: true }); // 404 for an unknown event
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id::text AS id, kind, recipient, status, attempts, last_error AS "lastError", message_id AS "messageId",
              sent_at AS "sentAt", created_at AS "createdAt"
         FROM outbox
        WHERE event_id = $1 AND ($2::varchar IS NULL OR status = $2::varchar)
        ORDER BY id`,
      [eventId, status ?? null],
    );
    return rows.map((row) => Object.assign(new DeliveryView(), row));
  }

  /** How many of the event's mails (of one kind, or all) wait, went out, failed or were skipped: the progress of a send. */
  async counts(eventId: string, kind?: MailKind): Promise<Record<OutboxStatus, number>> {
    const rows = await this.dataSource.query<{ status: OutboxStatus; count: number }[]>(
      `SELECT status, count(*)::int AS count FROM outbox WHERE event_id = $1 AND ($2::varchar IS NULL OR kind = $2::varchar) GROUP BY status`,
      [eventId, kind ?? null],
    );
    const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, skipped: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }

  async backlog(eventId: string): Promise<OutboxBacklog> {
    await this.events.get(eventId, { organizer: true });
    return this.outbox.backlog(eventId);
  }

  /**
   * Puts failed deliveries of the event (the given ones, or all) back to pending, for the relay to
   * queue again under a new job id. `attempts` is kept: it counts every SMTP attempt the row ever
   * had, and the new job gets the full MAIL_MAX_ATTEMPTS again. A row whose address is suppressed
   * for its kind stays failed and is not counted; lift the suppression first.
   */
  async retry(eventId: string, ids?: string[]): Promise<{ requeued: number }> {
    await this.events.get(eventId, { organizer: true });
    return { requeued: (await this.outbox.requeueFailed(eventId, ids, NON_ESSENTIAL_KINDS)).length };
  }
}
