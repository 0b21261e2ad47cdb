import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 4, series: a rule (RFC 5545 RRULE, e.g. the joint operating committee, monthly on the
 * second Tuesday at 16:00 KST) materialised as ordinary events, one per occurrence, each changed,
 * cancelled and registered for alone. The series keeps its own UID, the rule and the template
 * the occurrences were made from (what the master VEVENT of the series feed says); an occurrence
 * keeps recurrence_id, its original start, which never changes when the occurrence is moved: it
 * is the RECURRENCE-ID of the occurrence's override in the series feed (RFC 5545 §3.8.4.4).
 */
export class EventSeries1764600000000 implements MigrationInterface {
  name = 'EventSeries1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_series (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        uid             text NOT NULL UNIQUE,
        rrule           text NOT NULL,
        type            varchar(20) NOT NULL CHECK (type IN ('seminar', 'tech_exchange', 'committee', 'sig_meeting')),
        title           text NOT NULL,
        description     text,
        first_starts_at timestamptz NOT NULL,
        first_ends_at   timestamptz NOT NULL,
        timezone        text NOT NULL,
        venue           text,
        online_url      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CHECK (first_ends_at > first_starts_at)
      )`);
    await q.query(`
      ALTER TABLE events
        ADD COLUMN series_id     uuid REFERENCES event_series(id),
        ADD COLUMN recurrence_id timestamptz,
        ADD CONSTRAINT events_series_recurrence_check CHECK ((series_id IS NULL) = (recurrence_id IS NULL))`);
    // One occurrence per original start in a series; also the index the series reads its occurrences by.
    await q.query(`CREATE UNIQUE INDEX events_series_recurrence_key ON events (series_id, recurrence_id) WHERE series_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_series_recurrence_key`);
    await q.query(`ALTER TABLE events DROP CONSTRAINT events_series_recurrence_check, DROP COLUMN recurrence_id, DROP COLUMN series_id`);
    await q.query(`DROP TABLE event_series`);
  }
}
