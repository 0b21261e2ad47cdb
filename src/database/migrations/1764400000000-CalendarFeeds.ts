import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 4, calendar feeds: one secret, revocable feed URL per member (`GET /feeds/:token.ics`).
 * Only the SHA-256 of the token is stored (like link_tokens); making a new feed replaces the hash,
 * so the previous URL stops working at once; revoking stamps revoked_at.
 */
export class CalendarFeeds1764400000000 implements MigrationInterface {
  name = 'CalendarFeeds1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE member_feeds (
        member_id  uuid PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX member_feeds_token_hash_key ON member_feeds (token_hash)`);
    // A member's feed reads their confirmed registrations by member id or by email (a registration
    // made on the public page before the person was a member has only the email).
    await q.query(`CREATE INDEX registrations_confirmed_member_idx ON registrations (member_id) WHERE status = 'confirmed'`);
    await q.query(`CREATE INDEX registrations_confirmed_email_idx ON registrations (lower(email)) WHERE status = 'confirmed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX registrations_confirmed_email_idx`);
    await q.query(`DROP INDEX registrations_confirmed_member_idx`);
    await q.query(`DROP TABLE member_feeds`);
  }
}
