import { Controller, Get, Inject, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../../auth/organizer-auth';
import { principalOf } from '../../auth/principal';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ConsolePublicPage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { RequestSignIn } from './request-sign-in';
import { SignInWithLink } from './sign-in-with-link';

const INVALID_STATUS = { unknown: 404, expired: 410, used: 409 } as const;

/**
 * Signing in to the console by an emailed link: the form asks for an address and always answers
 * "check your mail"; the link's page shows one button (GET changes nothing: mail scanners open
 * links); the button uses the link once and sets the session cookie.
 */
@ApiExcludeController()
@ConsolePublicPage()
@Controller('console/sign-in')
export class SignInController {
  private readonly logger = new Logger(SignInController.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pages: ConsolePages,
    private readonly requestSignIn: RequestSignIn,
    private readonly signIn: SignInWithLink,
  ) {}

  @Get()
  form(@Req() request: Request, @Res() response: Response): void {
    if (principalOf(request)?.via === 'session') return response.redirect(303, '/console');
    const strings = this.pages.strings(request, response);
    this.pages.render(request, response, 'console-sign-in', { title: strings.text('console.signIn.title'), section: 'sign-in' });
  }

  @Post()
  async ask(@Req() request: Request, @Res() response: Response): Promise<void> {
    const body = request.body as Record<string, unknown> | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim() : '';
    const mailed = await this.requestSignIn.execute(email, this.pages.locale(request, response));
    if (mailed) this.logger.log('a sign-in link was mailed');
    // The same answer whoever asked (no enumeration).
    response.redirect(303, '/console/sign-in/sent');
  }

  @Get('sent')
  sent(@Req() request: Request, @Res() response: Response): void {
    const strings = this.pages.strings(request, response);
    this.pages.render(request, response, 'console-sign-in-sent', { title: strings.text('console.signIn.sentTitle'), section: 'sign-in' });
  }

  @Get(':token')
  async link(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const state = await this.signIn.preview(token);
    if (!state.ok) return this.invalid(request, response, state.reason);
    const strings = this.pages.strings(request, response);
    this.pages.render(request, response, 'console-sign-in-link', {
      title: strings.text('console.signIn.linkTitle'),
      section: 'sign-in',
      formAction: `/console/sign-in/${encodeURIComponent(token)}`,
    });
  }

  @Post(':token')
  async use(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const outcome = await this.signIn.execute(token, request.ip ?? null);
    if (!outcome.ok) return this.invalid(request, response, outcome.reason);
    response.cookie(SESSION_COOKIE, outcome.sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: outcome.maxAgeMs,
    });
    setFlash(response, 'signedIn', { email: outcome.email });
    response.redirect(303, '/console');
  }

  private invalid(request: Request, response: Response, reason: keyof typeof INVALID_STATUS): void {
    const strings = this.pages.strings(request, response);
    this.pages.render(
      request,
      response,
      'console-sign-in-invalid',
      { title: strings.text('console.signIn.invalidTitle'), section: 'sign-in', message: strings.text(`console.signIn.invalid.${reason}`) },
      INVALID_STATUS[reason],
    );
  }
}
