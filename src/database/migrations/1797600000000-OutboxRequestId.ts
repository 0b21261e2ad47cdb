import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The X-Request-Id of the request that wrote a mail row, so the relay can put it into the job and
 * the worker's log lines for that mail carry it: one id from the organizer's click to the SMTP send.
 * Null for mail written by periodic work (reminders), which no request caused.
 */
export class OutboxRequestId1797600000000 implements MigrationInterface {
  name = 'OutboxRequestId1797600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN request_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN request_id`);
  }
}
