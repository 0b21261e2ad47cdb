import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Door staff (issue 9, 출석 체크): a door pass is a link an organizer makes for one event, kept
 * only as its SHA-256, expiring at the event's end, revocable; opening it signs a phone in as door
 * staff of that event (a door session, hashed too), who may only check people in there.
 */
export class DoorPasses1797300000001 implements MigrationInterface {
  name = 'DoorPasses1797300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE door_passes (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        label        varchar(200) NOT NULL,
        email        varchar(320),
        token_hash   char(64) NOT NULL UNIQUE,
        created_by   uuid REFERENCES organizers (id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        revoked_at   timestamptz
      )`);
    await q.query(`CREATE INDEX door_passes_event_idx ON door_passes (event_id)`);
    await q.query(`
      CREATE TABLE door_sessions (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pass_id     uuid NOT NULL REFERENCES door_passes (id) ON DELETE CASCADE,
        token_hash  char(64) NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE door_sessions`);
    await q.query(`DROP TABLE door_passes`);
  }
}
