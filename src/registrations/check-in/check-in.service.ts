import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors/domain-errors';
import { EventsService } from '../../events/events.service';
import type { Principal } from '../../auth/principal';
import { consentScope } from '../consents/consent-notice';
import type { CheckInCredential } from '../../notifications/registrations.port';
import { csvLine, UTF8_BOM } from './csv';
import { displayCheckInCode, newCheckInCode, normalizeCheckInCode } from './check-in-code';

/** Who was checked in, as the door shows it. */
export interface CheckInPerson {
  id: string;
  name: string;
  email: string;
  company: string | null;
  cluster: string | null;
}

export type CheckInResult =
  | { status: 'checked_in'; registration: CheckInPerson; checkedInAt: Date }
  | { status: 'already_checked_in'; registration: CheckInPerson; checkedInAt: Date }
  | { status: 'not_confirmed'; registration: CheckInPerson; registrationStatus: string };

interface RegistrationRow {
  id: string;
  name: string;
  email: string;
  company: string | null;
  cluster_code: string | null;
  status: string;
  checked_in_at: Date | null;
}

const PERSON_COLUMNS = `id, name, email, company, cluster_code, status, checked_in_at`;

/**
 * Check-in at the door and the attendance export. A registration's door code is a short
 * Crockford base32 code kept in registrations.check_in_code (see check-in-code.ts for why not a
 * hashed link token): the code lets nobody do anything by itself, only the event's organizers and
 * its door staff (signed in from a door link) can check someone in with it.
 */
@Injectable()
export class CheckInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  /**
   * The registration's door code (made on first use, then always the same, so a retried or
   * updated mail shows the code the person already has) and its QR code as a PNG.
   */
  async credentialFor(registrationId: string): Promise<CheckInCredential> {
    const code = displayCheckInCode(await this.codeOf(registrationId));
    const qrPng = await QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
    return { code, qrPng };
  }

  /**
   * Checks a confirmed registrant in, once. A single conditional UPDATE decides, so two door
   * devices scanning the same code at the same moment check the person in exactly once.
   */
  async checkIn(eventId: string, typed: string): Promise<CheckInResult> {
    const event = await this.events.get(eventId, { organizer: true });
    const code = normalizeCheckInCode(typed);
    if (!code) throw new InvalidInputError('code', 'must be the 8-character check-in code from the confirmation email, like 7KQM-2XWD');
    if (event.status === 'cancelled') throw new ConflictError('the event was cancelled');

    const [updated]: [RegistrationRow[], number] = await this.dataSource.query(
      `UPDATE registrations SET checked_in_at = now()
        WHERE event_id = $1 AND check_in_code = $2 AND status = 'confirmed' AND checked_in_at IS NULL
        RETURNING ${PERSON_COLUMNS}`,
      [eventId, code],
    );
    if (updated.length === 1) return { status: 'checked_in', registration: person(updated[0]), checkedInAt: updated[0].checked_in_at! };

    const [row]: RegistrationRow[] = await this.dataSource.query(`SELECT ${PERSON_COLUMNS} FROM registrations WHERE event_id = $1 AND check_in_code = $2`, [
      eventId,
      code,
    ]);
    // A code of another event is "not found" here: the answer says nothing about other events.
    if (!row) throw new NotFoundError('check-in code', 'code');
    if (row.status !== 'confirmed') return { status: 'not_confirmed', registration: person(row), registrationStatus: row.status };
    return { status: 'already_checked_in', registration: person(row), checkedInAt: row.checked_in_at! };
  }

  /**
   * Every registration of the event as CSV for Excel: UTF-8 with a BOM, CRLF, RFC 4180 quoting,
   * formula cells neutralised (csv.ts). Times are ISO 8601 to the second in the event's own zone
   * with its offset (e.g. 2027-03-10T14:02:31+09:00): the wall-clock time the organizers saw at
   * the door, still one exact instant; empty where the thing has not happened.
   */
  /** Everyone registered; for a co-host's organizer only those who consented to their office receiving the data (PIPA). */
  async exportCsv(eventId: string, principal: Principal | null = null): Promise<{ filename: string; csv: string }> {
    const event = await this.events.get(eventId, { organizer: true });
    const scope = consentScope(principal, event);
    const rows: {
      name: string;
      email: string;
      company: string | null;
      cluster_code: string | null;
      status: string;
      created_at: Date;
      confirmed_at: Date | null;
      checked_in_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT name, email, company, cluster_code, status, created_at, confirmed_at, checked_in_at
         FROM registrations r WHERE event_id = $1
          AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM consents c WHERE c.registration_id = r.id AND c.granted AND c.kind = ANY($2::text[])))
        ORDER BY created_at, id`,
      [eventId, scope ? scope.map((code) => `third_party:${code}`) : null],
    );
    const time = (instant: Date | null) =>
      instant ? DateTime.fromJSDate(instant, { zone: event.timezone }).startOf('second').toISO({ suppressMilliseconds: true }) : '';
    const lines = [csvLine(['name', 'email', 'company', 'cluster', 'status', 'registered_at', 'confirmed_at', 'checked_in_at'])];
    for (const row of rows) {
      lines.push(
        csvLine([row.name, row.email, row.company, row.cluster_code, row.status, time(row.created_at), time(row.confirmed_at), time(row.checked_in_at)]),
      );
    }
    return { filename: `registrations-${event.id}.csv`, csv: UTF8_BOM + lines.join('') };
  }

  /** The stored code, made now if the registration has none; a clash within the event is retried with a new one. */
  private async codeOf(registrationId: string): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const [existing]: { check_in_code: string | null }[] = await this.dataSource.query(`SELECT check_in_code FROM registrations WHERE id = $1`, [
        registrationId,
      ]);
      if (!existing) throw new NotFoundError('registration');
      if (existing.check_in_code) return existing.check_in_code;
      try {
        const [rows]: [{ check_in_code: string }[], number] = await this.dataSource.query(
          `UPDATE registrations SET check_in_code = $2 WHERE id = $1 AND check_in_code IS NULL RETURNING check_in_code`,
          [registrationId, newCheckInCode()],
        );
        // None updated: another composer of the same row set it first; the next read returns it.
        if (rows.length === 1) return rows[0].check_in_code;
      } catch (error) {
        if ((error as { driverError?: { code?: string } }).driverError?.code !== '23505') throw error;
      }
    }
    throw new Error(`could not assign a check-in code to registration ${registrationId}`);
  }
}

function person(row: RegistrationRow): CheckInPerson {
  return { id: row.id, name: row.name, email: row.email, company: row.company, cluster: row.cluster_code };
}
