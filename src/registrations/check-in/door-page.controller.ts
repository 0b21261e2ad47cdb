import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Request, Response } from 'express';
import { TemplateLocale, TemplateRenderer } from '../../common/templates/template-renderer.service';

/**
 * The door page for organizers: scan or type a code, see who it was. Until console sessions
 * exist the page itself is a static shell holding no data: its script asks for the organizer
 * token once (kept in sessionStorage, gone with the tab) and calls the JSON API with it, so the
 * token never travels in a URL and the page needs no protection of its own.
 */
@ApiExcludeController()
@Controller('console/events')
export class DoorPageController {
  constructor(private readonly templates: TemplateRenderer) {}

  @Get(':id/door')
  door(@Param('id') id: string, @Req() request: Request, @Res() response: Response): void {
    const locale = doorLocale(request);
    response.setHeader('X-Robots-Tag', 'noindex');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    if (!isUUID(id)) {
      const message = locale === 'ko' ? '행사를 찾을 수 없습니다.' : 'Event not found.';
      response.status(404).type('html').send(this.templates.renderPage(locale, 'error', { title: message, lang: locale, message }));
      return;
    }
    const title = locale === 'ko' ? '입장 확인' : 'Check-in';
    response.status(200).type('html').send(this.templates.renderPage(locale, 'door', { title, lang: locale, eventId: id.toLowerCase() }));
  }
}

/** Korean unless asked otherwise (`?lang=en` or a browser whose first language is English), as on the public pages. */
function doorLocale(request: Request): TemplateLocale {
  const asked = request.query.lang;
  if (asked === 'en' || asked === 'ko') return asked;
  const accept = request.headers['accept-language'];
  return typeof accept === 'string' && /^\s*en\b/i.test(accept) ? 'en' : 'ko';
}
