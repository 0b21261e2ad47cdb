import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 4, lifecycle notices: per-event reminder offsets (minutes before the start; default 24 h
 * and 1 h, an empty array turns reminders off), and an outbox status for a mail that became moot
 * before it was sent (a reminder or an update for an event cancelled meanwhile): `skipped`.
 */
export class LifecycleNotices1764200000000 implements MigrationInterface {
  name = 'LifecycleNotices1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE events
        ADD COLUMN reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440,60}'
          CHECK (array_position(reminder_offsets_minutes, NULL) IS NULL AND 0 < ALL (reminder_offsets_minutes))`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent', 'failed', 'skipped'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE outbox SET status = 'failed', last_error = coalesce(last_error, 'skipped') WHERE status = 'skipped'`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent', 'failed'))`);
    await q.query(`ALTER TABLE events DROP COLUMN reminder_offsets_minutes`);
  }
}
