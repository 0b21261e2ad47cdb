import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Locale } from '../../common/templates/locales';
import { ClusterCode } from '../../config/cluster-codes';
import { OrganizerRole } from '../principal';

export interface OrganizerRecord {
  id: string;
  email: string;
  name: string | null;
  role: OrganizerRole;
  clusters: ClusterCode[];
  createdAt: Date;
  disabledAt: Date | null;
}

export interface ApiTokenRecord {
  id: string;
  organizerId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const ORGANIZER_COLUMNS = `id, email, name, role, clusters, created_at AS "createdAt", disabled_at AS "disabledAt"`;
const TOKEN_COLUMNS = `id, organizer_id AS "organizerId", name, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** The auth module's tables (organizers, api_tokens, console_sessions): all their SQL is here. */
@Injectable()
export class OrganizerAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts, or returns null when an organizer with that email (case-insensitive) exists. */
  async insert(organizer: { email: string; name: string | null; role: OrganizerRole; clusters: ClusterCode[] }): Promise<OrganizerRecord | null> {
    const rows: OrganizerRecord[] = await this.dataSource.query(
      `INSERT INTO organizers (email, name, role, clusters) VALUES ($1, $2, $3, $4)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING ${ORGANIZER_COLUMNS}`,
      [organizer.email, organizer.name, organizer.role, organizer.clusters],
    );
    return rows[0] ?? null;
  }

  /** Remembers the language an organizer uses the console in (their last sign-in request's page). */
  async rememberLocale(id: string, locale: Locale): Promise<void> {
    await this.dataSource.query(`UPDATE organizers SET locale = $2 WHERE id = $1 AND locale <> $2`, [id, locale]);
  }

  /** The console language of each of these organizers (Korean for one never seen). */
  async locales(ids: string[]): Promise<Map<string, Locale>> {
    const rows = await this.dataSource.query<{ id: string; locale: Locale }[]>(`SELECT id, locale FROM organizers WHERE id = ANY ($1::uuid[])`, [ids]);
    return new Map(rows.map((row) => [row.id, row.locale]));
  }

  async list(): Promise<OrganizerRecord[]> {
    return this.dataSource.query(`SELECT ${ORGANIZER_COLUMNS} FROM organizers ORDER BY created_at, email`);
  }

  async byId(id: string): Promise<OrganizerRecord | null> {
    const rows: OrganizerRecord[] = await this.dataSource.query(`SELECT ${ORGANIZER_COLUMNS} FROM organizers WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async byEmail(email: string): Promise<OrganizerRecord | null> {
    const rows: OrganizerRecord[] = await this.dataSource.query(`SELECT ${ORGANIZER_COLUMNS} FROM organizers WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }

  /**
   * The active organizer holding a live API token with this hash. Every API request of a script
   * comes here, so the token's last use is written at most once a minute, not on each request.
   */
  async byApiToken(tokenHash: string): Promise<{ organizer: OrganizerRecord; tokenId: string } | null> {
    const rows = await this.dataSource.query<(OrganizerRecord & { tokenId: string; stale: boolean })[]>(
      `SELECT t.id AS "tokenId", t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' AS stale,
              o.id, o.email, o.name, o.role, o.clusters, o.created_at AS "createdAt", o.disabled_at AS "disabledAt"
         FROM api_tokens t JOIN organizers o ON o.id = t.organizer_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND o.disabled_at IS NULL`,
      [tokenHash],
    );
    if (!rows[0]) return null;
    const { tokenId, stale, ...organizer } = rows[0];
    if (stale) await this.dataSource.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [tokenId]);
    return { organizer, tokenId };
  }

  async insertToken(organizerId: string, name: string, tokenHash: string): Promise<ApiTokenRecord> {
    const rows: ApiTokenRecord[] = await this.dataSource.query(
      `INSERT INTO api_tokens (organizer_id, name, token_hash) VALUES ($1, $2, $3) RETURNING ${TOKEN_COLUMNS}`,
      [organizerId, name, tokenHash],
    );
    return rows[0];
  }

  async tokens(organizerId?: string): Promise<ApiTokenRecord[]> {
    return this.dataSource.query(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE ($1::uuid IS NULL OR organizer_id = $1::uuid) ORDER BY created_at DESC`, [
      organizerId ?? null,
    ]);
  }

  async token(id: string): Promise<ApiTokenRecord | null> {
    const rows: ApiTokenRecord[] = await this.dataSource.query(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async revokeToken(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [id]);
  }

  async insertSession(organizerId: string, tokenHash: string, hours: number, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO console_sessions (organizer_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3)) RETURNING id`,
      [organizerId, tokenHash, hours],
    );
    return rows[0].id;
  }

  /** The active organizer of a live, unexpired session with this hash. */
  async bySession(tokenHash: string): Promise<{ organizer: OrganizerRecord; sessionId: string } | null> {
    const rows: (OrganizerRecord & { sessionId: string })[] = await this.dataSource.query(
      `SELECT s.id AS "sessionId", o.id, o.email, o.name, o.role, o.clusters, o.created_at AS "createdAt", o.disabled_at AS "disabledAt"
         FROM console_sessions s JOIN organizers o ON o.id = s.organizer_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND o.disabled_at IS NULL`,
      [tokenHash],
    );
    if (!rows[0]) return null;
    const { sessionId, ...organizer } = rows[0];
    return { organizer, sessionId };
  }

  async endSession(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE console_sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [id]);
  }
}
