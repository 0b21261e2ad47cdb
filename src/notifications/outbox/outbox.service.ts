import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { afterCommit } from '../../database/after-commit';
import { eventVersionSql } from '../../events/events.service';
import { MailKind, OutboxMessage } from './outbox-message.entity';
import type { Locale } from '../../common/templates/locales';
import { currentRequestId } from '../../common/logging/request-context';
import { insertEntries, insertForEachRow } from './outbox-insert-statements';

export interface OutboxEntry {
  kind: MailKind;
  /** Same key, same mail: a second entry with it is dropped, so no one gets the same mail twice. */
  dedupeKey: string;
  /** Null only for a `sign_in` mail. */
  eventId: string | null;
  registrationId?: string | null;
  memberId?: string | null;
  recipient: string;
  recipientName: string | null;
  locale: Locale;
  payload?: Record<string, unknown>;
  /** The row's message key, when the caller must derive something from it in the same transaction (the sign-in link); random otherwise. */
  messageKey?: string;
}

/** A pending row the mail worker took to send (claimManyForSending). */
export interface ClaimedRow {
  row: OutboxMessage;
  /** Why the address gets no mail of this kind; the row was then marked skipped instead. */
  suppressed: string | null;
  /** The version of the row's event now (eventVersionSql), for the worker's cached event facts; null without an event. */
  eventVersion: string | null;
}

export interface OutboxBacklog {
  pending: number;
  /** Age of the oldest pending mail in seconds; null when none is pending. */
  oldestPendingSeconds: number | null;
}

/**
 * Writes mails to send into the outbox, inside the caller's transaction (transactional outbox):
 * the mail exists if and only if the state change that calls for it was committed. The relay
 * moves the rows into BullMQ; see outbox-relay.service.ts. Whatever writes rows here wakes the
 * relay once its transaction has committed (afterCommit), so no caller has to remember to.
 */
@Injectable()
export class OutboxService {
  private readonly committedListeners: (() => void)[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * How many mails wait to be sent and how long the oldest has waited, so that a stuck outbox is
   * never silent: /health and the deliveries API show it. `eventId` narrows it to one event.
   */
  /** How many of an event's mails are in each state (the console's overview: 발송 완료 / 실패 / 건너뜀, and pending). */
  async statusCounts(eventId: string): Promise<Record<'pending' | 'sent' | 'failed' | 'skipped', number>> {
    const rows = await this.dataSource.query<{ status: string; n: number }[]>(
      `SELECT status, count(*)::int AS n FROM outbox WHERE event_id = $1 GROUP BY status`,
      [eventId],
    );
    const counts = { pending: 0, sent: 0, failed: 0, skipped: 0 };
    for (const row of rows) if (row.status in counts) counts[row.status as keyof typeof counts] = row.n;
    return counts;
  }

  async backlog(eventId?: string): Promise<OutboxBacklog> {
    const [row]: { pending: number; oldest: number | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, floor(extract(epoch FROM now() - min(created_at)))::int AS oldest
         FROM outbox WHERE status = 'pending' AND ($1::uuid IS NULL OR event_id = $1::uuid)`,
      [eventId ?? null],
    );
    return { pending: row.pending, oldestPendingSeconds: row.oldest };
  }

  /** The members who already have a mail of this kind about the event (whatever became of it): a plan of invitations skips them. */
  async memberIdsWithMail(manager: EntityManager, eventId: string, kind: MailKind): Promise<Set<string>> {
    const rows = await manager.query<{ member_id: string }[]>(
      `SELECT DISTINCT member_id FROM outbox WHERE event_id = $1 AND kind = $2 AND member_id IS NOT NULL`,
      [eventId, kind],
    );
    return new Set(rows.map((row) => row.member_id));
  }

  /**
   * Returns how many entries were new (the others were already queued under their dedupe key).
   * New rows wake the relay when `manager`'s transaction commits (at once outside a transaction).
   */
  async queue(manager: EntityManager, entries: OutboxEntry[]): Promise<number> {
    return (await this.queueReturningKeys(manager, entries)).length;
  }

  /** As queue(), returning the message keys of the rows that were new (for what must be written with them: their links). */
  async queueReturningKeys(manager: EntityManager, entries: OutboxEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const inserted: string[] = [];
    // Read here, not passed down: every use case that writes mail runs inside the request that caused it.
    const requestId = currentRequestId() ?? null;
    // PostgreSQL takes at most 65535 bound parameters per statement; 9 per row (and the request id), so 5000 rows a chunk.
    for (let start = 0; start < entries.length; start += 5000) {
      const statement = insertEntries(entries.slice(start, start + 5000), requestId);
      const result = await manager.query<{ messageKey: string }[]>(statement.sql, statement.params);
      for (const row of result) inserted.push(row.messageKey);
    }
    if (inserted.length > 0) afterCommit(manager, () => this.wakeRelay());
    return inserted;
  }

  /**
   * Runs the caller's writes and queues one mail for each row they produce, in one statement (one
   * round trip: a public registration makes hundreds a second in a rush). `source` is the caller's
   * own SQL on its own tables, as the common table expressions of one WITH (a data-modifying
   * statement may not be nested), the last of them named `source` with an `id` column; its
   * parameters are $1…$n. Each id gets the mail `entry` with `registration_id` = id and dedupe key
   * `dedupePrefix` + id. Returns the ids; the mails wake the relay after the commit, as queue().
   */
  async queueForEachRow(
    manager: EntityManager,
    source: { ctes: string; params: unknown[] },
    entry: Omit<OutboxEntry, 'dedupeKey' | 'registrationId' | 'messageKey'> & { dedupePrefix: string },
  ): Promise<string[]> {
    const statement = insertForEachRow(source, entry, currentRequestId() ?? null);
    const rows = await manager.query<{ id: string; queued: number }[]>(statement.sql, statement.params);
    if (rows.some((row) => row.queued > 0)) afterCommit(manager, () => this.wakeRelay());
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the delivery records nobody needs any more, in bounded batches: rows no longer pending,
   * written over `days` ago, of the given events (those that ended over `days` ago: an organizer
   * still reads an event's deliveries for that long after it), and mails about no event (sign-in
   * links) written over `days` ago. Pending rows are never deleted.
   */
  async deleteDelivered(days: number, endedEventIds: string[]): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count] = await this.dataSource.query<[unknown, number]>(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox
            WHERE (event_id = ANY ($2::uuid[]) OR event_id IS NULL) AND status <> 'pending' AND created_at < now() - make_interval(days => $1)
            LIMIT 5000)`,
        [days, endedEventIds],
      );
      deleted += count;
      if (count < 5000) return deleted;
    }
  }

  /**
   * Puts failed rows of the event (the given ones, or all) back to pending under a new job id, for
   * the relay to queue again; a row whose address is suppressed for its kind stays failed.
   * Returns the ids put back.
   */
  async requeueFailed(eventId: string, ids: string[] | undefined, suppressibleKinds: readonly MailKind[]): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[{ id: string }[], number]>(
        `UPDATE outbox o
            SET status = 'pending', enqueued_at = NULL, requeues = o.requeues + 1
          WHERE o.event_id = $1 AND o.status = 'failed'
            AND ($2::bigint[] IS NULL OR o.id = ANY ($2::bigint[]))
            AND NOT EXISTS (
                  SELECT 1 FROM mail_suppressions s
                   WHERE s.email = lower(o.recipient) AND (s.scope = 'all' OR o.kind = ANY ($3::varchar[])))
          RETURNING o.id`,
        [eventId, ids ?? null, suppressibleKinds],
      );
      if (rows.length > 0) afterCommit(manager, () => this.wakeRelay());
      return rows.map((row) => String(row.id));
    });
  }

  // ── The life of one row as the mail worker sends it (only a pending row changes) ──

  /**
   * Takes pending rows to send, in one round trip for all of them (OutboxClaimBatcher gathers the
   * jobs that start together): for each, counts the attempt (before it is made: a worker killed
   * during SMTP still leaves it counted), or, if the address is suppressed for the row's kind, marks
   * the row skipped with why; and reads the event's version with it. A row gone or no longer
   * pending is not in the answer (findRow says which). `suppressibleKinds`: the kinds an
   * unsubscribed address no longer gets (a bounced one gets none), as requeueFailed takes them.
   */
  async claimManyForSending(ids: readonly string[], suppressibleKinds: readonly MailKind[]): Promise<Map<string, ClaimedRow>> {
    const [rows] = await this.dataSource.query<[(OutboxMessage & { suppressed: string | null; eventVersion: string | null })[], number]>(
      `WITH target AS (
         SELECT o.id,
                (SELECT s.reason FROM mail_suppressions s
                  WHERE s.email = lower(o.recipient) AND (s.scope = 'all' OR o.kind = ANY ($2::varchar[]))) AS suppressed
           FROM outbox o WHERE o.id = ANY ($1::bigint[]) AND o.status = 'pending')
       UPDATE outbox o
          SET attempts = o.attempts + (t.suppressed IS NULL)::int,
              status = CASE WHEN t.suppressed IS NULL THEN o.status ELSE 'skipped' END,
              last_error = CASE WHEN t.suppressed IS NULL THEN o.last_error ELSE 'suppressed: ' || t.suppressed END
         FROM target t
        WHERE o.id = t.id AND o.status = 'pending'
       RETURNING o.id, o.kind, o.dedupe_key AS "dedupeKey", o.event_id AS "eventId", o.registration_id AS "registrationId",
                 o.member_id AS "memberId", o.recipient, o.locale, o.payload, o.status, o.attempts, o.last_error AS "lastError",
                 o.message_id AS "messageId", o.message_key AS "messageKey", o.requeues, o.enqueued_at AS "enqueuedAt",
                 o.sent_at AS "sentAt", o.created_at AS "createdAt", t.suppressed, ${eventVersionSql('o.event_id')} AS "eventVersion"`,
      [[...new Set(ids)], suppressibleKinds],
    );
    return new Map(
      rows.map(({ suppressed, eventVersion, ...row }) => [String(row.id), { row: Object.assign(new OutboxMessage(), row), suppressed, eventVersion }]),
    );
  }

  findRow(id: string): Promise<OutboxMessage | null> {
    return this.dataSource.getRepository(OutboxMessage).findOne({ where: { id } });
  }

  /** The row needs no mail (suppressed address, event cancelled since): skipped, with why. */
  async markSkipped(id: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE outbox SET status = 'skipped', last_error = $2 WHERE id = $1 AND status = 'pending'`, [id, reason]);
  }

  /** Marks many rows sent in one statement (OutboxSentBatcher: the rows the SMTP pool finished within a few milliseconds). */
  async markSentMany(rows: readonly { id: string; messageId: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox o SET status = 'sent', sent_at = now(), message_id = s.message_id, last_error = NULL
         FROM unnest($1::bigint[], $2::text[]) AS s(id, message_id)
        WHERE o.id = s.id AND o.status = 'pending'`,
      [rows.map((row) => row.id), rows.map((row) => row.messageId)],
    );
  }

  /** Records a failed attempt; `final` (a permanent refusal, or the last attempt) fails the row. */
  async recordFailure(manager: EntityManager, id: string, reason: string, final: boolean): Promise<void> {
    await manager.query(`UPDATE outbox SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1 AND status = 'pending'`, [
      id,
      reason.slice(0, 2000),
      final,
    ]);
  }

  /** Tells the relay (OutboxRelay) when committed rows wait, so mail leaves now rather than at its next poll. */
  onCommitted(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  private wakeRelay(): void {
    for (const listener of this.committedListeners) listener();
  }
}
