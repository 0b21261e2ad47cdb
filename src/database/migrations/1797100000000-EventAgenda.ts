import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The programme of an event (issue 9): a short ordered list of sessions, read and replaced as a
 * whole with the event, so a jsonb column on the event rather than a table of its own.
 */
export class EventAgenda1797100000000 implements MigrationInterface {
  name = 'EventAgenda1797100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events ADD COLUMN agenda jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(agenda) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP COLUMN agenda`);
  }
}
