import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../auth/audit/audit-log.service';
import { CreateApiTokenDto } from '../auth/organizers/organizer.dto';
import { OrganizersService } from '../auth/organizers/organizers.service';
import { principalOf } from '../auth/principal';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { formatDateTime } from '../common/templates/date-format';
import { ConsolePage } from './console-access';
import { ConsolePages } from './console-pages';
import { setFlash } from './flash';
import { formFields, invalidFields, text } from './form-input';

/** Carries a new token to the next page (POST-redirect-GET) for one minute; read once, then cleared. */
const NEW_TOKEN_COOKIE = 'sh_new_token';
const NEW_TOKEN_COOKIE_OPTIONS = { httpOnly: true, sameSite: 'strict' as const, path: '/console/tokens' };

/**
 * API 토큰: the organizer's tokens for scripts (an admin's page lists everyone's), a form to make
 * one, shown once on the next page, and revoking. Tokens act with their organizer's rights.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/tokens')
export class TokensPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly organizers: OrganizersService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const fresh = this.takeNewToken(request, response);
    await this.render(request, response, { name: '' }, null, fresh);
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response): Promise<void> {
    const name = text(formFields(request.body), 'name').trim();
    const checked = await invalidFields(CreateApiTokenDto, { name });
    if (checked.fields.size > 0) {
      const strings = this.pages.strings(request, response);
      return this.render(request, response, { name }, strings.text('console.tokens.errors.name'), null, 400);
    }
    const made = await this.organizers.createToken(principalOf(request)!, checked.value.name);
    await this.audit.recordFor(request, 'token.create', `token ${made.id} (${made.name})`, { organizerId: made.organizerId });
    response.cookie(NEW_TOKEN_COOKIE, Buffer.from(JSON.stringify({ name: made.name, token: made.token })).toString('base64url'), {
      ...NEW_TOKEN_COOKIE_OPTIONS,
      maxAge: 60_000,
    });
    setFlash(response, 'tokenCreated', { name: made.name });
    response.redirect(303, '/console/tokens');
  }

  @Post(':id/revoke')
  async revoke(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const revoked = await this.organizers.revokeToken(principalOf(request)!, id);
    await this.audit.recordFor(request, 'token.revoke', `token ${revoked.id} (${revoked.name})`);
    setFlash(response, 'tokenRevoked', { name: revoked.name });
    response.redirect(303, '/console/tokens');
  }

  private takeNewToken(request: Request, response: Response): { name: string; token: string } | null {
    const raw = (request.cookies as Record<string, unknown> | undefined)?.[NEW_TOKEN_COOKIE];
    if (typeof raw !== 'string') return null;
    response.clearCookie(NEW_TOKEN_COOKIE, NEW_TOKEN_COOKIE_OPTIONS);
    try {
      const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { name?: unknown; token?: unknown };
      return typeof parsed.name === 'string' && typeof parsed.token === 'string' && /^shk_[A-Za-z0-9_-]{43}$/.test(parsed.token)
        ? { name: parsed.name, token: parsed.token }
        : null;
    } catch {
      return null;
    }
  }

  private async render(
    request: Request,
    response: Response,
    form: { name: string },
    nameError: string | null,
    fresh: { name: string; token: string } | null,
    status = 200,
  ): Promise<void> {
    const principal = principalOf(request)!;
    const strings = this.pages.strings(request, response);
    const owners = new Map((await this.organizers.list()).map((organizer) => [organizer.id, organizer.email]));
    const tokens = (await this.organizers.tokens(principal)).map((token) => ({
      ...token,
      owner: owners.get(token.organizerId) ?? token.organizerId,
      created: formatDateTime(token.createdAt, 'Asia/Seoul', strings),
      lastUsed: token.lastUsedAt ? formatDateTime(token.lastUsedAt, 'Asia/Seoul', strings) : null,
      revoked: token.revokedAt !== null,
    }));
    this.pages.render(
      request,
      response,
      'console-tokens',
      { title: strings.text('console.nav.tokens'), section: 'tokens', tokens, showOwner: principal.role === 'admin', form, nameError, fresh },
      status,
    );
  }
}
