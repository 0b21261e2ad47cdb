import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events say what they are about (`keywords`), and suggested invitees are the people of other
 * clusters whose company or SIG keywords resemble them. The resemblance is pg_trgm's trigram
 * similarity on a key that drops case, spaces and punctuation: "Machine Learning" and
 * "machine-learning" have the same key, and "인공지능을" shares four of its six trigrams with
 * "인공지능", so a Korean particle does not defeat a match the way an exact comparison would.
 */
export class EventKeywords1797400000000 implements MigrationInterface {
  name = 'EventKeywords1797400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`ALTER TABLE events ADD COLUMN keywords text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE FUNCTION keyword_key(keyword text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT lower(regexp_replace(keyword, '[[:space:][:punct:]]+', '', 'g')) $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION keyword_key(text)`);
    await q.query(`ALTER TABLE events DROP COLUMN keywords`);
  }
}
