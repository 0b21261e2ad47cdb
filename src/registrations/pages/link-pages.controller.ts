import { Body, Controller, Get, Inject, Optional, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { eventViewModel } from '../../events/event-view-model';
import { requestLocale } from '../../common/templates/locales';
import type { StringTable } from '../../common/templates/string-table';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { formatDateTime } from '../../common/templates/date-format';
import { DirectoryService } from '../../directory/directory.service';
import { AnswerLink } from '../use-cases/answer-link';
import { LinkPreview } from '../use-cases/link-steps';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { thirdPartyRecipients } from '../consents/consent-notice';
import { consentNoticeView } from '../consents/consent-notice-view';
import { MEETING_ROSTER_PORT, MeetingRosterPort } from '../meeting-roster.port';

/**
 * The pages behind emailed links. GET only shows what the link will do: mail scanners open
 * links, so nothing may change until the person presses the button, which POSTs.
 */
@ApiExcludeController()
@Controller('r')
export class LinkPagesController {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly answerLink: AnswerLink,
    private readonly directory: DirectoryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(MEETING_ROSTER_PORT) private readonly roster?: MeetingRosterPort,
  ) {}

  /** The file of a standing body's minutes, for a member on that body's roster; a download, never shown inline. */
  @Get(':token/minutes/:bodyId')
  async minutesFile(@Param('token') token: string, @Param('bodyId', new ParseUUIDPipe()) bodyId: string, @Res() response: Response): Promise<void> {
    const holder = await this.answerLink.holder(token);
    const file = holder && this.roster ? await this.roster.minutesFile(holder.eventId, holder.memberId, bodyId) : null;
    response.setHeader('X-Robots-Tag', 'noindex');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (!file) {
      response.status(404).type('text/plain').send('not found');
      return;
    }
    response.setHeader('Content-Type', file.type);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    response.setHeader('Cache-Control', 'no-store');
    response.status(200).send(file.content);
  }

  /** Minutes of a standing body's meeting at the link's event, where the link's member is on that body's roster. */
  private async minutes(token: string): Promise<{ bodyName: string; text: string; fileName: string | null; fileUrl: string | null }[]> {
    const holder = this.roster ? await this.answerLink.holder(token) : null;
    if (!holder || !this.roster) return [];
    const minutes = await this.roster.minutesFor(holder.eventId, holder.memberId);
    return minutes.map((entry) => ({
      bodyName: entry.bodyName,
      text: entry.text,
      fileName: entry.fileName,
      fileUrl: entry.fileName ? `/r/${encodeURIComponent(token)}/minutes/${entry.bodyId}` : null,
    }));
  }

  @Get(':token')
  async show(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(response, token, await this.answerLink.preview(token), request);
  }

  @Post(':token')
  async act(@Param('token') token: string, @Body() body: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const form = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    await this.render(response, token, await this.answerLink.perform(token, form), request);
  }

  private async render(response: Response, token: string, preview: LinkPreview, request: Request): Promise<void> {
    // The person's own language where the link tells us who they are, else the browser's.
    const locale = preview.state === 'invalid' ? requestLocale(request) : preview.locale;
    const strings = this.templates.strings(locale);
    // Links are personal: keep them out of search engines and out of the Referer of outgoing links.
    response.setHeader('X-Robots-Tag', 'noindex');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (preview.state === 'invalid') {
      response.status(preview.reason === 'unknown' ? 404 : preview.reason === 'expired' ? 410 : 409).type('html');
      const message = strings.text(`pages.link.invalid.${preview.reason}`);
      // The registration window in the event's own zone, as the event page says it.
      const resultMessage =
        preview.at && preview.timeZone
          ? strings.text('pages.link.invalidAt', { message, when: formatDateTime(preview.at, preview.timeZone, strings) })
          : message;
      response.send(
        this.templates.renderPage(locale, 'link-action', {
          title: strings.text('pages.link.invalidTitle'),
          event: null,
          state: 'invalid',
          resultMessage,
          minutes: await this.minutes(token),
        }),
      );
      return;
    }
    const names = await this.directory.clusterNames(locale);
    const event = eventViewModel(preview.event, names, strings);
    const consent =
      preview.state === 'ready' && preview.consentNeeded
        ? consentNoticeView(
            thirdPartyRecipients(preview.event),
            names,
            this.config.personalDataRetentionDays,
            strings,
            preview.consentMissing ?? null,
            preview.consentMissing !== undefined,
          )
        : null;
    const context =
      preview.state === 'ready'
        ? {
            state: 'ready',
            formAction: `/r/${encodeURIComponent(token)}`,
            consent,
            erasable: preview.action === 'manage_registration',
            declinable: preview.declinable === true,
            ...this.actionTexts(preview, strings),
          }
        : {
            state: 'done',
            resultMessage: this.outcomeText(preview, strings),
            erasable: preview.erasable === true,
            formAction: `/r/${encodeURIComponent(token)}`,
          };
    response
      .status(preview.state === 'ready' && preview.consentMissing ? 400 : 200)
      .type('html')
      .send(this.templates.renderPage(locale, 'link-action', { title: preview.event.title, event, ...context, minutes: await this.minutes(token) }));
  }

  private actionTexts(preview: Extract<LinkPreview, { state: 'ready' }>, strings: StringTable): { actionLabel: string; explanation: string } {
    if (preview.action !== 'manage_registration') {
      return { actionLabel: strings.text(`pages.link.action.${preview.action}`), explanation: strings.text(`pages.link.explanation.${preview.action}`) };
    }
    const status = preview.registration?.status;
    if (status === 'waitlisted') {
      return {
        actionLabel: strings.text('pages.link.action.leave_waitlist'),
        explanation: strings.text('pages.link.explanation.waitlisted', { position: preview.registration!.position ?? 0 }),
      };
    }
    return {
      actionLabel: strings.text('pages.link.action.manage_registration'),
      explanation: strings.text(status === 'confirmed' ? 'pages.link.explanation.confirmed' : 'pages.link.explanation.pending'),
    };
  }

  private outcomeText(preview: Extract<LinkPreview, { state: 'done' }>, strings: StringTable): string {
    if (preview.outcome === 'declined') return strings.text('bodies.link.declined');
    const outcome = strings.text(`pages.link.outcome.${preview.outcome}`);
    const position = preview.registration?.position;
    if ((preview.outcome === 'waitlisted' || preview.outcome === 'already_waitlisted') && position) {
      return strings.text('pages.link.outcome.position', { outcome, position });
    }
    return outcome;
  }
}
