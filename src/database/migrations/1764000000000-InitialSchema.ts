import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The main path: directory, events, registrations, link tokens and the mail outbox.
 * The clusters are seeded here because every other table refers to them by code.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clusters (
        code       varchar(16) PRIMARY KEY,
        name_ko    text NOT NULL,
        name_en    text NOT NULL,
        sort_order smallint NOT NULL
      )`);
    await q.query(`
      INSERT INTO clusters (code, name_ko, name_en, sort_order) VALUES
        ('ICT', 'ICT 미니클러스터', 'ICT Mini-Cluster', 1),
        ('IMT', 'IMT 미니클러스터', 'IMT Mini-Cluster', 2),
        ('DC', '디지털콘텐츠 미니클러스터', 'Digital Content Mini-Cluster', 3),
        ('GREEN_IT', '그린IT 미니클러스터', 'Green IT Mini-Cluster', 4)`);

    await q.query(`
      CREATE TABLE companies (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL,
        cluster_code  varchar(16) NOT NULL REFERENCES clusters(code),
        email_domains text[] NOT NULL DEFAULT '{}',
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX companies_name_key ON companies (lower(name))`);

    await q.query(`
      CREATE TABLE members (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email        varchar(320) NOT NULL,
        name         text NOT NULL,
        company_id   uuid REFERENCES companies(id),
        cluster_code varchar(16) NOT NULL REFERENCES clusters(code),
        locale       varchar(2) NOT NULL DEFAULT 'ko' CHECK (locale IN ('ko', 'en')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX members_email_key ON members (lower(email))`);
    await q.query(`CREATE INDEX members_cluster_idx ON members (cluster_code)`);

    await q.query(`
      CREATE TABLE events (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        uid           text NOT NULL UNIQUE,
        sequence      integer NOT NULL DEFAULT 0,
        type          varchar(20) NOT NULL CHECK (type IN ('seminar', 'tech_exchange', 'committee', 'sig_meeting')),
        title         text NOT NULL,
        description   text,
        starts_at     timestamptz NOT NULL,
        ends_at       timestamptz NOT NULL,
        timezone      text NOT NULL DEFAULT 'Asia/Seoul',
        venue         text,
        online_url    text,
        capacity      integer CHECK (capacity IS NULL OR capacity > 0),
        -- Confirmed seats, kept by a conditional UPDATE in the same transaction as the registration.
        seats_taken   integer NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)),
        status        varchar(12) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
        published_at  timestamptz,
        cancelled_at  timestamptz,
        cancel_reason text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX events_status_starts_idx ON events (status, starts_at)`);

    await q.query(`
      CREATE TABLE event_clusters (
        event_id     uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        cluster_code varchar(16) NOT NULL REFERENCES clusters(code),
        role         varchar(8) NOT NULL CHECK (role IN ('host', 'audience')),
        PRIMARY KEY (event_id, role, cluster_code)
      )`);
    await q.query(`CREATE INDEX event_clusters_cluster_idx ON event_clusters (cluster_code, role)`);

    await q.query(`
      CREATE TABLE registrations (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id     uuid NOT NULL REFERENCES events(id),
        email        varchar(320) NOT NULL,
        member_id    uuid REFERENCES members(id),
        name         text NOT NULL,
        company      text,
        cluster_code varchar(16) REFERENCES clusters(code),
        status       varchar(24) NOT NULL CHECK (status IN ('pending_confirmation', 'confirmed', 'waitlisted', 'cancelled')),
        source       varchar(12) NOT NULL CHECK (source IN ('invitation', 'public')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        cancelled_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX registrations_event_email_key ON registrations (event_id, lower(email))`);

    await q.query(`
      CREATE TABLE link_tokens (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash      char(64) NOT NULL UNIQUE,
        purpose         varchar(32) NOT NULL,
        event_id        uuid REFERENCES events(id),
        member_id       uuid REFERENCES members(id),
        registration_id uuid REFERENCES registrations(id),
        expires_at      timestamptz NOT NULL,
        used_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE outbox (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind            varchar(32) NOT NULL,
        dedupe_key      text NOT NULL UNIQUE,
        event_id        uuid NOT NULL REFERENCES events(id),
        registration_id uuid REFERENCES registrations(id),
        member_id       uuid REFERENCES members(id),
        recipient       varchar(320) NOT NULL,
        locale          varchar(2) NOT NULL DEFAULT 'ko',
        payload         jsonb NOT NULL DEFAULT '{}',
        status          varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        integer NOT NULL DEFAULT 0,
        last_error      text,
        message_id      text,
        enqueued_at     timestamptz,
        sent_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    // The relay scans only rows still to send; a partial index keeps that scan small as sent mail piles up.
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX outbox_event_kind_idx ON outbox (event_id, kind, member_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'link_tokens', 'registrations', 'event_clusters', 'events', 'members', 'companies', 'clusters']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
