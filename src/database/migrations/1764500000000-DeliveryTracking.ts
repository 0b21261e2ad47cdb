import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 4, delivery tracking, suppression and unsubscribe:
 * - `mail_suppressions`: addresses that get no more mail — `bounce` (a permanent SMTP failure at
 *   RCPT or DATA: scope `all`) or `unsubscribe` (the List-Unsubscribe link: scope `non_essential`,
 *   i.e. invitations and reminders only). One row per lower-cased address.
 * - `outbox.requeues`: how often an organizer put a failed row back to pending. It is part of the
 *   BullMQ job id (`outbox-<id>-r<n>`), because the failed job keeps its id in the queue for 30
 *   days and adding a job under an id that exists is a no-op.
 * - `link_tokens.email`: the exact address an unsubscribe link was mailed to. The link speaks for
 *   that address; a member's address changed (CSV import) between the mail and the click must not
 *   unsubscribe the new one.
 */
export class DeliveryTracking1764500000000 implements MigrationInterface {
  name = 'DeliveryTracking1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_suppressions (
        email      varchar(320) PRIMARY KEY CHECK (email = lower(email)),
        reason     varchar(16) NOT NULL CHECK (reason IN ('bounce', 'unsubscribe')),
        scope      varchar(16) NOT NULL CHECK (scope IN ('all', 'non_essential')),
        detail     text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE outbox ADD COLUMN requeues integer NOT NULL DEFAULT 0`);
    // The organizer's delivery list: one event's rows, often filtered by status.
    await q.query(`CREATE INDEX outbox_event_status_idx ON outbox (event_id, status)`);
    await q.query(`ALTER TABLE link_tokens ADD COLUMN email varchar(320)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE link_tokens DROP COLUMN email`);
    await q.query(`DROP INDEX outbox_event_status_idx`);
    await q.query(`ALTER TABLE outbox DROP COLUMN requeues`);
    await q.query(`DROP TABLE mail_suppressions`);
  }
}
