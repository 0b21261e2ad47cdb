import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events say what they are about (`keywords`), and suggested invitees are the people of other
 * clusters whose company or SIG keywords resemble them. Two keywords are compared by their keys,
 * which drop case, spaces and punctuation ("Machine Learning" and "machine-learning" have the same
 * key), and resemble each other by the larger of
 * - pg_trgm's trigram similarity (spelling variants, words in another order), and
 * - for a key that begins with the other (of at least two characters), the share of the longer
 *   key that the shorter one is: Korean particles (조사) attach at the end of a word, so
 *   "인공지능을" is "인공지능" and a particle, 4/5 = 0.8.
 * The second is not a nicety: pg_trgm takes its letters from the database's LC_CTYPE, and where
 * that is C (the embedded PostgreSQL's initdb --locale=C) Hangul are no letters to it, so Korean
 * keys have no trigrams at all. Korean matches then rest on the prefix alone, English on both.
 * keyword_resemblance is not STRICT so that PostgreSQL inlines it into the query (a STRICT SQL
 * function whose body is not strict is called row by row: four times slower at 5,000 companies).
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
    await q.query(`
      CREATE FUNCTION keyword_resemblance(a text, b text) RETURNS real
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT greatest(
                similarity(a, b),
                CASE WHEN least(length(a), length(b)) >= 2 AND (starts_with(a, b) OR starts_with(b, a))
                     THEN least(length(a), length(b))::real / greatest(length(a), length(b))
                     ELSE 0 END) $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION keyword_resemblance(text, text)`);
    await q.query(`DROP FUNCTION keyword_key(text)`);
    await q.query(`ALTER TABLE events DROP COLUMN keywords`);
  }
}
