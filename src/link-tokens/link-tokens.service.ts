import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, createHmac } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EventsService } from '../events/events.service';
import { LinkToken, LinkTokenPurpose } from './link-token.entity';
import { Clock } from '../common/clock';

export interface LinkTokenSubject {
  eventId: string;
  memberId?: string | null;
  registrationId?: string | null;
  /** For `unsubscribe`: the recipient address the link speaks for. */
  email?: string | null;
  /** When the event ends, if the caller has the event at hand; otherwise the events module is asked. */
  eventEndsAt?: Date;
}

export type LinkTokenCheck = { ok: true; token: LinkToken } | { ok: false; reason: 'unknown' | 'expired' | 'wrong_purpose' };

/** What using a single-use token gave: the token, now used, or why not (a token of another purpose is `unknown`). */
export type LinkTokenClaim = { ok: true; token: LinkToken } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

/**
 * The one token service for emailed links: 256 bits, base64url in the link, only the SHA-256
 * stored; each token is bound to one purpose and one subject and expires.
 */
@Injectable()
export class LinkTokensService {
  /** LINK_SECRET, or a key derived from the admin token (set by then: main.ts fills in a remembered one). */
  private readonly key: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly events: EventsService,
  ) {
    this.key = config.linkSecret ? Buffer.from(config.linkSecret, 'utf8') : createHmac('sha256', 'seminar-hub link tokens').update(config.adminToken).digest();
  }

  /**
   * Returns the raw token of one mail's link for `purpose`, storing its hash on first use. The raw
   * value is an HMAC of the mail's random message key (outbox.message_key), so every attempt to
   * send the same mail carries the same link (a worker killed after SMTP took the mail retries it
   * with the identical message) while the database holds only the hash, as for any token. Only
   * this mail holds the raw value. It lives LINK_TOKEN_TTL_HOURS from its first minting, and at
   * least until a day after its event ends: a manage link mailed at registration must still
   * cancel a seat for an event months away.
   */
  async mint(messageKey: string, purpose: LinkTokenPurpose, subject: LinkTokenSubject, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const raw = this.rawToken(messageKey, purpose);
    const eventEndsAt = subject.eventEndsAt ?? (await this.events.get(subject.eventId, { organizer: true }, manager)).endsAt;
    await manager.query(
      `INSERT INTO link_tokens (token_hash, purpose, event_id, member_id, registration_id, email, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, GREATEST(now() + make_interval(hours => $7), $8::timestamptz + interval '1 day'))
       ON CONFLICT (token_hash) DO NOTHING`,
      [
        hashToken(raw),
        purpose,
        subject.eventId,
        subject.memberId ?? null,
        subject.registrationId ?? null,
        subject.email ?? null,
        this.config.tokenTtlHours,
        eventEndsAt,
      ],
    );
    return raw;
  }

  /**
   * mint() for many mails at once, in the caller's transaction: the links of a fan-out are stored
   * with its outbox rows, in a few statements, so the worker only derives each raw token
   * (derive()) and makes no round trip for it. Every entry's event must end at `eventEndsAt`.
   */
  async mintMany(
    manager: EntityManager,
    eventEndsAt: Date,
    entries: { messageKey: string; purpose: LinkTokenPurpose; subject: Omit<LinkTokenSubject, 'eventEndsAt'> }[],
  ): Promise<void> {
    // 6 bound parameters a row; PostgreSQL takes at most 65535 a statement.
    for (let start = 0; start < entries.length; start += 9000) {
      const params: unknown[] = [this.config.tokenTtlHours, eventEndsAt];
      const rows = entries.slice(start, start + 9000).map((entry) => {
        params.push(
          hashToken(this.rawToken(entry.messageKey, entry.purpose)),
          entry.purpose,
          entry.subject.eventId,
          entry.subject.memberId ?? null,
          entry.subject.registrationId ?? null,
          entry.subject.email ?? null,
        );
        const n = params.length;
        return `($${n - 5}, $${n - 4}, $${n - 3}::uuid, $${n - 2}::uuid, $${n - 1}::uuid, $${n}, GREATEST(now() + make_interval(hours => $1), $2::timestamptz + interval '1 day'))`;
      });
      await manager.query(
        `INSERT INTO link_tokens (token_hash, purpose, event_id, member_id, registration_id, email, expires_at)
         VALUES ${rows.join(', ')}
         ON CONFLICT (token_hash) DO NOTHING`,
        params,
      );
    }
  }

  /** The raw token of a link mintMany() stored (or mint() did): the same value, with no round trip. */
  derive(messageKey: string, purpose: LinkTokenPurpose): string {
    return this.rawToken(messageKey, purpose);
  }

  /**
   * A short-lived link about no event (the console's sign-in link, bound to the address it was
   * mailed to): like mint(), derived from the mail's message key so the api can store the hash in
   * the transaction that writes the mail and the worker finds the same raw token when it renders;
   * it expires `minutes` after its first minting.
   */
  async mintShortLived(
    messageKey: string,
    purpose: LinkTokenPurpose,
    subject: { email: string; minutes: number },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string> {
    const raw = this.rawToken(messageKey, purpose);
    await manager.query(
      `INSERT INTO link_tokens (token_hash, purpose, email, expires_at) VALUES ($1, $2, $3, now() + make_interval(mins => $4))
       ON CONFLICT (token_hash) DO NOTHING`,
      [hashToken(raw), purpose, subject.email, subject.minutes],
    );
    return raw;
  }

  /**
   * Uses a single-use token of `purpose` once: marks it used and returns it, in the caller's
   * transaction; of two requests at once only one gets it (the conditional UPDATE takes the row).
   */
  async claim(raw: string, purpose: LinkTokenPurpose, manager: EntityManager): Promise<LinkTokenClaim> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(raw)) return { ok: false, reason: 'unknown' };
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE link_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING id`,
      [hashToken(raw), purpose],
    );
    if (rows[0]) return { ok: true, token: await manager.findOneOrFail(LinkToken, { where: { id: rows[0].id } }) };
    const found = await manager.findOne(LinkToken, { where: { tokenHash: hashToken(raw) } });
    if (!found || found.purpose !== purpose) return { ok: false, reason: 'unknown' };
    return { ok: false, reason: found.usedAt ? 'used' : 'expired' };
  }

  /** Looks a raw token up without using it (GET pages must not change anything). */
  async check(raw: string, manager: EntityManager = this.dataSource.manager): Promise<LinkTokenCheck> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(raw)) return { ok: false, reason: 'unknown' };
    const token = await manager.findOne(LinkToken, { where: { tokenHash: hashToken(raw) } });
    if (!token) return { ok: false, reason: 'unknown' };
    if (token.expiresAt.getTime() <= this.clock.nowMs()) return { ok: false, reason: 'expired' };
    return { ok: true, token };
  }

  /** Deletes tokens expired for over a week, in bounded batches; returns how many. */
  async deleteExpired(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count] = await this.dataSource.query<[unknown, number]>(
        `DELETE FROM link_tokens WHERE id IN (
           SELECT id FROM link_tokens WHERE expires_at < now() - interval '${KEEP_EXPIRED}' LIMIT ${DELETE_BATCH})`,
      );
      deleted += count;
      if (count < DELETE_BATCH) return deleted;
    }
  }

  private rawToken(messageKey: string, purpose: LinkTokenPurpose): string {
    return createHmac('sha256', this.key).update(`${messageKey}/${purpose}`).digest('base64url');
  }

  /** Marks a token used (first use kept); the action it allowed is done by the caller in the same transaction. */
  async markUsed(tokenId: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE link_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL`, [tokenId]);
  }
}

/** A week after expiry a link still says "expired" rather than "unknown"; after that its row goes. */
const KEEP_EXPIRED = '7 days';
const DELETE_BATCH = 5000;

export function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}
