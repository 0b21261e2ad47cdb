import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizer accounts (issue 9): organizers with a role scoped to clusters, API tokens for scripts
 * (only their SHA-256 stored, revocable), console sessions (hashed, expiring) and the audit log of
 * organizer actions.
 */
export class OrganizerAccounts1764900000000 implements MigrationInterface {
  name = 'OrganizerAccounts1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizers (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email       varchar(320) NOT NULL,
        name        varchar(200),
        role        varchar(32) NOT NULL CHECK (role IN ('admin', 'cluster_organizer')),
        clusters    varchar(16)[] NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz,
        CHECK (role = 'admin' OR cardinality(clusters) > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX organizers_email_key ON organizers (lower(email))`);
    await q.query(`
      CREATE TABLE api_tokens (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organizer_id uuid NOT NULL REFERENCES organizers (id) ON DELETE CASCADE,
        name         varchar(100) NOT NULL,
        token_hash   char(64) NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at   timestamptz
      )`);
    await q.query(`
      CREATE TABLE console_sessions (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organizer_id uuid NOT NULL REFERENCES organizers (id) ON DELETE CASCADE,
        token_hash   char(64) NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        revoked_at   timestamptz
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at        timestamptz NOT NULL DEFAULT now(),
        actor     varchar(320) NOT NULL,
        actor_id  uuid,
        action    varchar(64) NOT NULL,
        target    varchar(400),
        ip        varchar(64),
        details   jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'console_sessions', 'api_tokens', 'organizers']) await q.query(`DROP TABLE ${table}`);
  }
}
