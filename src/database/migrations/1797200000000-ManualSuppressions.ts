import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizers add addresses to the suppression list by hand (the console's 수신 거부, issue 9): a
 * third reason, `manual`, with who added it, so the list says where each entry came from.
 */
export class ManualSuppressions1797200000000 implements MigrationInterface {
  name = 'ManualSuppressions1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mail_suppressions DROP CONSTRAINT mail_suppressions_reason_check`);
    await q.query(`ALTER TABLE mail_suppressions ADD CONSTRAINT mail_suppressions_reason_check CHECK (reason IN ('bounce', 'unsubscribe', 'manual'))`);
    await q.query(`ALTER TABLE mail_suppressions ADD COLUMN added_by varchar(320)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM mail_suppressions WHERE reason = 'manual'`);
    await q.query(`ALTER TABLE mail_suppressions DROP COLUMN added_by`);
    await q.query(`ALTER TABLE mail_suppressions DROP CONSTRAINT mail_suppressions_reason_check`);
    await q.query(`ALTER TABLE mail_suppressions ADD CONSTRAINT mail_suppressions_reason_check CHECK (reason IN ('bounce', 'unsubscribe'))`);
  }
}
