import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { SESSION_COOKIE } from '../../auth/organizer-auth';
import { principalOf } from '../../auth/principal';
import { ConsoleSessions } from '../../auth/sessions/console-sessions.service';
import { ConsolePage } from '../console-access';
import { setFlash } from '../flash';

/** 로그아웃: ends the session (its cookie is refused from the next request) and clears the cookie. */
@ApiExcludeController()
@ConsolePage()
@Controller('console/sign-out')
export class SignOutController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    const sessionId = principalOf(request)!.credentialId!;
    await this.sessions.end(sessionId);
    await this.audit.recordFor(request, 'sign_out', `session ${sessionId}`);
    response.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/' });
    setFlash(response, 'signedOut');
    response.redirect(303, '/console/sign-in');
  }
}
