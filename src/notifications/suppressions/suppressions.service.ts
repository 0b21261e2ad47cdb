import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-errors';
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

const SCOPE_OF: Record<SuppressionReason, SuppressionScope> = { bounce: 'all', unsubscribe: 'non_essential' };

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
  async suppress(email: string, reason: SuppressionReason, detail: string | null, manager: EntityManager = this.dataSource.manager): Promise<void> {
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

  /** Lifts one suppression; the address gets mail again from the next send. */
  async lift(email: string): Promise<void> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(`DELETE FROM mail_suppressions WHERE email = lower($1)`, [email]);
    if (!affected) throw new NotFoundError('suppression', 'email');
  }
}
