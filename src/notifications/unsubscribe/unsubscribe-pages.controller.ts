import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiHtmlPage } from '../../common/http/api-docs';
import type { Request, Response } from 'express';
import { requestLocale } from '../../common/templates/locales';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { UnsubscribeOutcome, UnsubscribeService } from './unsubscribe.service';

/**
 * The unsubscribe link in invitations and reminders. GET shows a page with one button and changes
 * nothing (mail scanners open links); POST unsubscribes — the page's button, or the RFC 8058
 * one-click POST (`List-Unsubscribe=One-Click`) that mail providers send without a browser.
 */
@ApiTags('pages')
@Controller('u')
export class UnsubscribePagesController {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly unsubscribe: UnsubscribeService,
  ) {}

  @Get(':token')
  @ApiOperation({ summary: 'HTML: the unsubscribe page, one button; changes nothing', security: [] })
  @ApiHtmlPage({ 200: 'The page with its button', 404: 'Unknown link', 410: 'The link expired' })
  async show(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.render(request, response, token, await this.unsubscribe.preview(token));
  }

  @Post(':token')
  @ApiOperation({ summary: "Unsubscribe: the page's button or the RFC 8058 one-click POST", security: [] })
  @ApiHtmlPage({ 200: 'Unsubscribed', 404: 'Unknown link', 410: 'The link expired' })
  async act(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const body = request.body as Record<string, unknown> | undefined;
    const oneClick = typeof body === 'object' && body !== null && body['List-Unsubscribe'] === 'One-Click';
    this.render(request, response, token, await this.unsubscribe.perform(token, oneClick ? 'one-click' : 'page'));
  }

  private render(request: Request, response: Response, token: string, outcome: UnsubscribeOutcome): void {
    const locale = (outcome.state !== 'invalid' && outcome.locale) || requestLocale(request);
    response.setHeader('X-Robots-Tag', 'noindex');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    const status = outcome.state === 'invalid' ? (outcome.reason === 'expired' ? 410 : 404) : 200;
    response
      .status(status)
      .type('html')
      .send(
        this.templates.renderPage(locale, 'unsubscribe', {
          title: this.templates.strings(locale).text('pages.unsubscribe.title'),
          state: outcome.state,
          reason: outcome.state === 'invalid' ? outcome.reason : null,
          email: outcome.state === 'invalid' ? null : outcome.email,
          formAction: `/u/${encodeURIComponent(token)}`,
        }),
      );
  }
}
