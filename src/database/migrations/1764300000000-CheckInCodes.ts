import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 3, check-in: a short door code per registration, shown (and as a QR code) in the
 * confirmation mail. 8 characters of Crockford base32 (40 bits), unique within an event. Assigned
 * lazily when the first confirmation mail is composed (CheckInService.credentialFor).
 */
export class CheckInCodes1764300000000 implements MigrationInterface {
  name = 'CheckInCodes1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE registrations
        ADD COLUMN check_in_code varchar(8) CHECK (check_in_code ~ '^[0-9A-HJKMNP-TV-Z]{8}$')`);
    // The door looks codes up by (event, code); unique so a code names one person of one event.
    await q.query(`CREATE UNIQUE INDEX registrations_check_in_code_key ON registrations (event_id, check_in_code) WHERE check_in_code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX registrations_check_in_code_key`);
    await q.query(`ALTER TABLE registrations DROP COLUMN check_in_code`);
  }
}
