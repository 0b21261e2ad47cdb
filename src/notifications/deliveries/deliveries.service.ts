import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventsService } from '../../events/events.service';
import { OutboxStatus } from '../outbox/outbox-message.entity';
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
