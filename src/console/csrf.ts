import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { doubleCsrf } from 'csrf-csrf';
import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';
import { DOOR_SESSION_COOKIE } from '../auth/door-staff/door-staff';
import { SESSION_COOKIE } from '../auth/organizer-auth';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** The hidden field every console form carries. */
export const CSRF_FIELD = '_csrf';
const CSRF_COOKIE = 'sh_csrf';

/** A console form POSTed without its token, or with one not made for this browser and session. */
export class CsrfRejected extends ForbiddenException {
  constructor() {
    super('the form was not sent from this console page, or it has expired: reload the page and try again');
  }
}

/**
 * CSRF protection for the console's forms: csrf-csrf's double-submit cookie, the token an HMAC
 * bound to the console session (the raw `sh_session` cookie, or a door session's `sh_door`; none
 * before signing in), so a token
 * of one session is refused in another. The token goes into each form as a hidden field and into
 * an httpOnly, SameSite=Strict cookie; a POST must bring both, equal and valid.
 */
@Injectable()
export class ConsoleCsrf {
  private readonly csrf: ReturnType<typeof doubleCsrf>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const secret = createHmac('sha256', config.linkSecret ?? config.adminToken)
      .update('seminar-hub console csrf')
      .digest('hex');
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (request) => sessionCookie(request),
      cookieName: CSRF_COOKIE,
      cookieOptions: { sameSite: 'strict', path: '/console', secure: config.publicUrl.startsWith('https:'), httpOnly: true },
      getCsrfTokenFromRequest: (request) => {
        const body = request.body as Record<string, unknown> | undefined;
        return typeof body?.[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined;
      },
    });
  }

  /** The token for the forms of the page being rendered (the cookie is set or kept). */
  token(request: Request, response: Response): string {
    return this.csrf.generateCsrfToken(request, response);
  }

  valid(request: Request): boolean {
    return this.csrf.validateRequest(request);
  }
}

/** The organizer's session, else a door session (door staff post the door page's form). */
function sessionCookie(request: Request): string {
  const cookies = request.cookies as Record<string, unknown> | undefined;
  for (const name of [SESSION_COOKIE, DOOR_SESSION_COOKIE]) if (typeof cookies?.[name] === 'string' && cookies[name] !== '') return cookies[name];
  return '';
}

/** Refuses (403, a page) any console request that may change something and lacks a valid CSRF token. */
@Injectable()
export class ConsoleCsrfGuard implements CanActivate {
  constructor(private readonly csrf: ConsoleCsrf) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return true;
    if (!this.csrf.valid(request)) throw new CsrfRejected();
    return true;
  }
}
