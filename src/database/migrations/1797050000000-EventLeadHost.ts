import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lead host of an event (주최, as against 공동 주최): the cluster whose office runs it and so
 * holds the registrants' personal data; the other hosts receive it only with consent (PIPA Art. 17).
 * Null for events made before: they keep the first host in cluster order, as they were shown.
 */
export class EventLeadHost1797050000000 implements MigrationInterface {
  name = 'EventLeadHost1797050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events ADD COLUMN lead_host varchar NULL REFERENCES clusters (code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP COLUMN lead_host`);
  }
}
