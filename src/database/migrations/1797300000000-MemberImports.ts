import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports of member imports made in the console: the page after an upload (POST-redirect-GET)
 * reads its report here, and the organizer can open it again. The rejected lines are kept as sent
 * to the page (at most the first thousand; `rejected_count` counts them all).
 */
export class MemberImports1797300000000 implements MigrationInterface {
  name = 'MemberImports1797300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE member_imports (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organizer_id   uuid REFERENCES organizers (id) ON DELETE SET NULL,
        actor          varchar(320) NOT NULL,
        file_name      varchar(255),
        created        integer NOT NULL,
        updated        integer NOT NULL,
        unchanged      integer NOT NULL,
        rejected_count integer NOT NULL,
        rejected       jsonb NOT NULL,
        at             timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE member_imports`);
  }
}
