import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent under the Personal Information Protection Act (issue 9): what each registrant agreed to,
 * per notice (`collection`, `third_party:<CLUSTER>`, `marketing`), with the notice version, the
 * choice and its time. One row per kind and registration; a later choice replaces the earlier one.
 */
export class Consents1766000000000 implements MigrationInterface {
  name = 'Consents1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consents (
        registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        kind            varchar(40) NOT NULL CHECK (kind IN ('collection', 'marketing') OR kind LIKE 'third\\_party:%'),
        version         varchar(40) NOT NULL,
        granted         boolean NOT NULL,
        at              timestamptz NOT NULL,
        PRIMARY KEY (registration_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consents`);
  }
}
