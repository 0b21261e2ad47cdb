import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../auth/principal';
import { ConflictError, DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { MailKind } from '../outbox/outbox-message.entity';
import { MailSuppression, SuppressionReason, SuppressionScope } from './mail-suppression.entity';

/**
 * Mail a person can opt out of (List-Unsubscribe): invitations and reminders. Everything else
 * answers something the person did or must know — their confirmation, waiting list, promotion,
 * cancellation, a change or cancellation of an event they registered for — and still goes out.
 */
export const NON_ESSENTIAL_KINDS: readonly MailKind[] = ['invitation', 'reminder'];

export function isNonEssential(kind: MailKind): boolean {
  return NON_ESSENTIAL_KINDS.includes(kind);
}

/** What the mail worker and the unsubscribe link record; organizers add `manual` entries with a scope they choose. */
type RecordedReason = Exclude<SuppressionReason, 'manual'>;
const SCOPE_OF: Record<RecordedReason, SuppressionScope> = { bounce: 'all', unsubscribe: 'non_essential' };

/**
 * Who may lift a suppression. An admin may lift any. A cluster organizer may lift a bounce (the
 * office hears first when a mailbox works again) or an entry added by hand, but not an
 * unsubscribe: that is the person's own refusal of advertising mail (정보통신망법 Art. 50), which
 * only they can withdraw, and the federation office (an admin) records when they do.
 */
export function mayLift(principal: Pick<Principal, 'role'>, reason: SuppressionReason): boolean {
  return principal.role === 'admin' || reason !== 'unsubscribe';
}

/**
 * The suppression list. An address that bounced permanently gets no mail at all; an address that
 * unsubscribed gets no invitations or reminders. The mail worker asks before each send.
 */
@Injectable()
export class SuppressionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Suppresses the address. An existing entry is kept unless the new one is wider (an unsubscribed
   * address that then bounces is suppressed for all mail; a bounced one that unsubscribes stays so).
   */
  async suppress(email: string, reason: RecordedReason, detail: string | null, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO mail_suppressions (email, reason, scope, detail) VALUES (lower($1), $2, $3, $4)
       ON CONFLICT (email) DO UPDATE SET reason = EXCLUDED.reason, scope = EXCLUDED.scope, detail = EXCLUDED.detail, created_at = now()
        WHERE mail_suppressions.scope = 'non_essential' AND EXCLUDED.scope = 'all'`,
      [email, reason, SCOPE_OF[reason], detail?.slice(0, 2000) ?? null],
    );
  }

  /** Why a mail of this kind must not go to this address, or null when it may. */
  async blocking(email: string, kind: MailKind, manager: EntityManager = this.dataSource.manager): Promise<SuppressionReason | null> {
    const rows: { reason: SuppressionReason; scope: SuppressionScope }[] = await manager.query(
      `SELECT reason, scope FROM mail_suppressions WHERE email = lower($1)`,
      [email],
    );
    const entry = rows[0];
    if (!entry) return null;
    return entry.scope === 'all' || isNonEssential(kind) ? entry.reason : null;
  }

  /** blocking() for many addresses at once: the lower-cased addresses that must not get this kind of mail, with why. */
  async blockingMany(emails: string[], kind: MailKind, manager: EntityManager = this.dataSource.manager): Promise<Map<string, SuppressionReason>> {
    const rows = await manager.query<{ email: string; reason: SuppressionReason; scope: SuppressionScope }[]>(
      `SELECT email, reason, scope FROM mail_suppressions WHERE email = ANY (SELECT lower(e) FROM unnest($1::text[]) AS e)`,
      [emails],
    );
    return new Map(rows.filter((row) => row.scope === 'all' || isNonEssential(kind)).map((row) => [row.email, row.reason]));
  }

  list(): Promise<MailSuppression[]> {
    return this.dataSource.getRepository(MailSuppression).find({ order: { createdAt: 'DESC', email: 'ASC' } });
  }

  find(email: string): Promise<MailSuppression | null> {
    return this.dataSource.getRepository(MailSuppression).findOne({ where: { email: email.toLowerCase() } });
  }

  /** Addresses containing `search`, in address order, a keyset page at a time (`after`: the last address seen). */
  async page(query: { search?: string; after?: string; limit: number }): Promise<{ suppressions: MailSuppression[]; next: string | null }> {
    const pattern = query.search ? `%${query.search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%` : null;
    const rows = await this.dataSource
      .getRepository(MailSuppression)
      .createQueryBuilder('s')
      .where('(CAST(:pattern AS text) IS NULL OR s.email LIKE :pattern)', { pattern })
      .andWhere('(CAST(:after AS text) IS NULL OR s.email > :after)', { after: query.after?.toLowerCase() ?? null })
      .orderBy('s.email', 'ASC')
      .limit(query.limit + 1)
      .getMany();
    const suppressions = rows.slice(0, query.limit);
    return { suppressions, next: rows.length > suppressions.length ? (suppressions.at(-1)?.email ?? null) : null };
  }

  /** An organizer stops mail to an address by hand; 409 when it is suppressed already (lift it first to change why). */
  async addManually(email: string, scope: SuppressionScope, detail: string, addedBy: string): Promise<void> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO mail_suppressions (email, reason, scope, detail, added_by) VALUES (lower($1), 'manual', $2, $3, $4)
       ON CONFLICT (email) DO NOTHING RETURNING email`,
      [email, scope, detail, addedBy],
    );
    if (rows.length === 0) throw new ConflictError('the address is suppressed already', 'email');
  }

  /** Lifts one suppression; the address gets mail again from the next send. 403 when `principal` may not (mayLift). */
  async lift(email: string, principal: Pick<Principal, 'role'> | null = null): Promise<void> {
    const [entry] = await this.dataSource.query<{ reason: SuppressionReason }[]>(`SELECT reason FROM mail_suppressions WHERE email = lower($1)`, [email]);
    if (!entry) throw new NotFoundError('suppression', 'email');
    if (principal && !mayLift(principal, entry.reason)) {
      throw new DomainError('forbidden', 'an unsubscribe is lifted only by a federation admin, when the person asks', 'email');
    }
    await this.dataSource.query(`DELETE FROM mail_suppressions WHERE email = lower($1)`, [email]);
  }
}
