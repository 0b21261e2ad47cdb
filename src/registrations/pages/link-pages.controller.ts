import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { eventViewModel } from '../../events/event-view-model';
import { TemplateLocale, TemplateRenderer } from '../../common/templates/template-renderer.service';
import { formatDateTime } from '../../common/templates/date-format';
import { DirectoryService } from '../../directory/directory.service';
import { AnswerLink } from '../use-cases/answer-link';
import { LinkPreview } from '../use-cases/link-steps';
import { pageLocale } from './page-locale';
import { PAGE_TEXTS } from './page-texts';

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
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(response, token, await this.answerLink.preview(token), request);
  }

  @Post(':token')
  async act(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(response, token, await this.answerLink.perform(token), request);
  }

  private async render(response: Response, token: string, preview: LinkPreview, request: Request): Promise<void> {
    // The person's own language where the link tells us who they are, else the browser's.
    const locale = preview.state === 'invalid' ? pageLocale(request) : preview.locale;
    const texts = PAGE_TEXTS[locale];
    // Links are personal: keep them out of search engines and out of the Referer of outgoing links.
    response.setHeader('X-Robots-Tag', 'noindex');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (preview.state === 'invalid') {
      response.status(preview.reason === 'unknown' ? 404 : preview.reason === 'expired' ? 410 : 409).type('html');
      const when = preview.at ? ` (${formatDateTime(preview.at, 'Asia/Seoul', locale)})` : '';
      response.send(
        this.templates.renderPage(locale, 'link-action', {
          title: texts.invalidTitle,
          lang: locale,
          event: null,
          state: 'invalid',
          resultMessage: texts.invalid[preview.reason] + when,
        }),
      );
      return;
    }
    const names = await this.directory.clusterNames(locale);
    const event = eventViewModel(preview.event, names, locale);
    const context =
      preview.state === 'ready'
        ? { state: 'ready', formAction: `/r/${encodeURIComponent(token)}`, ...this.actionTexts(preview, locale) }
        : { state: 'done', resultMessage: this.outcomeText(preview, locale) };
    response.status(200).type('html').send(this.templates.renderPage(locale, 'link-action', { title: preview.event.title, lang: locale, event, ...context }));
  }

  private actionTexts(preview: Extract<LinkPreview, { state: 'ready' }>, locale: TemplateLocale): { actionLabel: string; explanation: string } {
    const texts = PAGE_TEXTS[locale];
    if (preview.action !== 'manage_registration') {
      return { actionLabel: texts.actionLabel[preview.action], explanation: texts.explanation[preview.action] };
    }
    const status = preview.registration?.status;
    if (status === 'waitlisted') return { actionLabel: texts.manage.leaveWaitlist, explanation: texts.manage.waitlisted(preview.registration!.position ?? 0) };
    return { actionLabel: texts.actionLabel.manage_registration, explanation: status === 'confirmed' ? texts.manage.confirmed : texts.manage.pending };
  }

  private outcomeText(preview: Extract<LinkPreview, { state: 'done' }>, locale: TemplateLocale): string {
    const texts = PAGE_TEXTS[locale];
    const position = preview.registration?.position;
    if ((preview.outcome === 'waitlisted' || preview.outcome === 'already_waitlisted') && position) {
      return `${texts.outcome[preview.outcome]} ${texts.positionNote(position)}`;
    }
    return texts.outcome[preview.outcome];
  }
}
