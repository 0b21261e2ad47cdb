import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `outbox.message_key`: a random UUID per row, fixed when the row is written. It names everything
 * that must be the same on every attempt to send the row and different from any other row ever
 * written, on this installation or another: the BullMQ job id (outbox ids start again when a
 * database is recreated or restored while Redis keeps its completed jobs for a week), the
 * Message-ID header, and the seed of the personal links in the mail.
 */
export class OutboxMessageKey1764800000000 implements MigrationInterface {
  name = 'OutboxMessageKey1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN message_key uuid NOT NULL DEFAULT gen_random_uuid()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN message_key`);
  }
}
