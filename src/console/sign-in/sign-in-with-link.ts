import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { OrganizersService } from '../../auth/organizers/organizers.service';
import { ConsoleSessions } from '../../auth/sessions/console-sessions.service';
import { LinkTokensService } from '../../link-tokens/link-tokens.service';

export type SignInLinkState = { ok: true } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export type SignInOutcome = { ok: true; sessionToken: string; maxAgeMs: number; email: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

/**
 * The sign-in link: `preview` only looks (the GET page, which mail scanners open); `execute` (the
 * button) uses the link once and starts a console session, in one transaction with the audit
 * record `sign_in`. An organizer disabled since the link was mailed gets nothing.
 */
@Injectable()
export class SignInWithLink {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: LinkTokensService,
    private readonly organizers: OrganizersService,
    private readonly sessions: ConsoleSessions,
    private readonly audit: AuditLog,
  ) {}

  async preview(raw: string): Promise<SignInLinkState> {
    const check = await this.tokens.check(raw);
    if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'expired' : 'unknown' };
    if (check.token.purpose !== 'sign_in') return { ok: false, reason: 'unknown' };
    if (check.token.usedAt) return { ok: false, reason: 'used' };
    return { ok: true };
  }

  async execute(raw: string, ip: string | null): Promise<SignInOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const claim = await this.tokens.claim(raw, 'sign_in', manager);
      if (!claim.ok) return claim;
      const organizer = claim.token.email ? await this.organizers.byEmail(claim.token.email) : null;
      if (!organizer || organizer.disabledAt) return { ok: false, reason: 'unknown' };
      const session = await this.sessions.start(organizer.id, manager);
      await this.audit.record({ actor: organizer.email, organizerId: organizer.id }, 'sign_in', `session ${session.sessionId}`, ip, undefined, manager);
      return { ok: true, sessionToken: session.token, maxAgeMs: session.maxAgeMs, email: organizer.email };
    });
  }
}
