import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DoorPasses } from '../../auth/door-staff/door-passes.service';
import { DOOR_SESSION_COOKIE } from '../../auth/door-staff/door-staff';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { EventsService } from '../../events/events.service';
import { ConsolePublicPage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';

const INVALID_STATUS = { unknown: 404, expired: 410, revoked: 410 } as const;

/**
 * A door link (`/console/door/<token>`): the GET shows the event and one button and changes
 * nothing (mail scanners and chat previews open links); the button signs this phone in as door
 * staff of that event, in the `sh_door` cookie, until the event ends or the link is revoked.
 */
@ApiExcludeController()
@ConsolePublicPage()
@Controller('console/door')
export class DoorSignInController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pages: ConsolePages,
    private readonly doorPasses: DoorPasses,
    private readonly events: EventsService,
  ) {}

  @Get(':token')
  async link(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const state = await this.doorPasses.preview(token);
    if (!state.ok) return this.invalid(request, response, state.reason);
    const event = await this.events.get(state.eventId, { organizer: true });
    const strings = this.pages.strings(request, response);
    response.setHeader('Referrer-Policy', 'no-referrer');
    this.pages.render(request, response, 'console-door-sign-in', {
      title: strings.text('console.door.signInTitle'),
      event: { title: event.title },
      label: state.label,
      formAction: `/console/door/${encodeURIComponent(token)}`,
    });
  }

  @Post(':token')
  async use(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const outcome = await this.doorPasses.signIn(token);
    if (!outcome.ok) return this.invalid(request, response, outcome.reason);
    response.cookie(DOOR_SESSION_COOKIE, outcome.sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/',
      expires: outcome.expiresAt,
    });
    setFlash(response, 'doorSignedIn', { label: outcome.label });
    response.redirect(303, `/console/events/${outcome.eventId}/door`);
  }

  private invalid(request: Request, response: Response, reason: keyof typeof INVALID_STATUS): void {
    const strings = this.pages.strings(request, response);
    const message = strings.text(`console.door.invalid.${reason}`);
    this.pages.render(request, response, 'console-error', { title: strings.text('console.door.invalidTitle'), messages: [message] }, INVALID_STATUS[reason]);
  }
}
