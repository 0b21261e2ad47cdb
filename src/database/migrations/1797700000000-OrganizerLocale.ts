import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language an organizer uses the console in (the page they last asked a sign-in link from), so
 * the mails the platform sends them of itself (co-host approvals) come in that language too.
 */
export class OrganizerLocale1797700000000 implements MigrationInterface {
  name = 'OrganizerLocale1797700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizers ADD COLUMN locale varchar NOT NULL DEFAULT 'ko' CHECK (locale IN ('ko', 'en'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizers DROP COLUMN locale`);
  }
}
