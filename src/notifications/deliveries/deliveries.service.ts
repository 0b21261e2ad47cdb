import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../../common/errors/domain-errors';
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
    return (await this.page(eventId, { status, limit: null })).deliveries;
  }

  /**
   * The event's mails in the order they were written, one keyset page at a time (`after`: the id
   * of the last one seen; `next`: the `after` of the following page, null on the last).
   */
  async page(
    eventId: string,
    query: { status?: OutboxStatus; after?: string; limit: number | null },
  ): Promise<{ deliveries: DeliveryView[]; next: string | null }> {
    await this.events.get(eventId, { organizer: true }); // 404 for an unknown event
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id::text AS id, kind, recipient, status, attempts, last_error AS "lastError", message_id AS "messageId",
              sent_at AS "sentAt", created_at AS "createdAt"
         FROM outbox
        WHERE event_id = $1 AND ($2::varchar IS NULL OR status = $2::varchar) AND ($3::bigint IS NULL OR id > $3::bigint)
        ORDER BY id
        LIMIT $4`,
      [eventId, query.status ?? null, query.after ?? null, query.limit === null ? null : query.limit + 1],
    );
    const deliveries = rows.slice(0, query.limit ?? rows.length).map((row) => Object.assign(new DeliveryView(), row));
    return { deliveries, next: rows.length > deliveries.length ? (deliveries.at(-1)?.id ?? null) : null };
  }

  /**
   * Per event (of `eventIds`, or all), how many mails wait, went out, failed or were skipped: the
   * events with the most recent mail first, a keyset page at a time (`after`: the `latest` of the
   * last event seen).
   */
  async summaryByEvent(
    eventIds: string[] | null,
    query: { after?: string; limit: number },
  ): Promise<{ events: (Record<OutboxStatus, number> & { eventId: string; latest: string })[]; next: string | null }> {
    const rows = await this.dataSource.query<(Record<OutboxStatus, number> & { eventId: string; latest: string })[]>(
      `SELECT event_id AS "eventId", max(id)::text AS latest,
              count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status = 'skipped')::int AS skipped
         FROM outbox
        WHERE event_id IS NOT NULL AND ($1::uuid[] IS NULL OR event_id = ANY ($1::uuid[]))
        GROUP BY event_id
       HAVING $2::bigint IS NULL OR max(id) < $2::bigint
        ORDER BY max(id) DESC
        LIMIT $3`,
      [eventIds, query.after ?? null, query.limit + 1],
    );
    const events = rows.slice(0, query.limit);
    return { events, next: rows.length > events.length ? (events.at(-1)?.latest ?? null) : null };
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
  /**
   * Puts one failed delivery back in line (as retry() does for many): 404 when the event has no
   * such delivery, 409 when it did not fail or its address is suppressed (lift that first).
   */
  async retryOne(eventId: string, deliveryId: string): Promise<{ requeued: number }> {
    await this.events.get(eventId, { organizer: true });
    if ((await this.outbox.requeueFailed(eventId, [deliveryId], NON_ESSENTIAL_KINDS)).length === 1) return { requeued: 1 };
    const [row] = await this.dataSource.query<{ status: OutboxStatus }[]>(`SELECT status FROM outbox WHERE id = $1 AND event_id = $2`, [deliveryId, eventId]);
    if (!row) throw new NotFoundError('delivery', 'deliveryId');
    if (row.status !== 'failed') throw new ConflictError(`the delivery is ${row.status}, not failed`, 'deliveryId');
    throw new ConflictError('the address is suppressed: lift the suppression first', 'deliveryId');
  }

  async retry(eventId: string, ids?: string[]): Promise<{ requeued: number }> {
    await this.events.get(eventId, { organizer: true });
    return { requeued: (await this.outbox.requeueFailed(eventId, ids, NON_ESSENTIAL_KINDS)).length };
  }
}
