import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Standing bodies (the joint operating committee, a SIG's steering group): a roster of seats, each
 * held by a delegate for a cluster or a company, with an optional substitute. A meeting is an
 * ordinary event linked to the body; a delegate's decline is kept per meeting and seat, so the
 * substitute is invited once however often the decline is sent. Minutes (text and an optional
 * file, bounded, kept in the database so backups and retention cover them) attach to a meeting.
 */
export class StandingBodies1797400100000 implements MigrationInterface {
  name = 'StandingBodies1797400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bodies (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name       text NOT NULL,
        kind       varchar(32) NOT NULL CHECK (kind IN ('committee', 'steering_group')),
        sig_id     uuid REFERENCES sigs(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX bodies_name_key ON bodies (lower(name))`);
    await q.query(`
      CREATE TABLE body_seats (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        body_id       uuid NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
        label         text NOT NULL,
        cluster_code  varchar(16) REFERENCES clusters(code),
        company_id    uuid REFERENCES companies(id),
        delegate_id   uuid NOT NULL REFERENCES members(id),
        substitute_id uuid REFERENCES members(id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CHECK ((cluster_code IS NULL) <> (company_id IS NULL)),
        CHECK (substitute_id IS NULL OR substitute_id <> delegate_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX body_seats_label_key ON body_seats (body_id, lower(label))`);
    await q.query(`
      CREATE TABLE body_meetings (
        body_id    uuid NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
        event_id   uuid NOT NULL REFERENCES events(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (body_id, event_id)
      )`);
    await q.query(`CREATE INDEX body_meetings_event_idx ON body_meetings (event_id)`);
    await q.query(`
      CREATE TABLE body_meeting_declines (
        event_id    uuid NOT NULL REFERENCES events(id),
        seat_id     uuid NOT NULL REFERENCES body_seats(id) ON DELETE CASCADE,
        member_id   uuid NOT NULL REFERENCES members(id),
        declined_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, seat_id)
      )`);
    await q.query(`
      CREATE TABLE meeting_minutes (
        body_id    uuid NOT NULL,
        event_id   uuid NOT NULL,
        text       text NOT NULL,
        file_name  text,
        file_type  text,
        file       bytea CHECK (octet_length(file) <= 524288),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (body_id, event_id),
        FOREIGN KEY (body_id, event_id) REFERENCES body_meetings (body_id, event_id) ON DELETE CASCADE,
        CHECK ((file IS NULL) = (file_name IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE meeting_minutes`);
    await q.query(`DROP TABLE body_meeting_declines`);
    await q.query(`DROP TABLE body_meetings`);
    await q.query(`DROP TABLE body_seats`);
    await q.query(`DROP TABLE bodies`);
  }
}
