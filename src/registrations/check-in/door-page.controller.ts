import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Request, Response } from 'express';
import { requestLocale } from '../../common/templates/locales';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';

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
    const locale = requestLocale(request);
    const strings = this.templates.strings(locale);
    response.setHeader('X-Robots-Tag', 'noindex');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    if (!isUUID(id)) {
      const message = strings.text('pages.eventNotFound');
      response
        .status(404)
        .type('html')
        .send(this.templates.renderPage(locale, 'error', { title: message, messages: [message] }));
      return;
    }
    const title = strings.text('pages.door.title');
    response
      .status(200)
      .type('html')
      .send(this.templates.renderPage(locale, 'door', { title, eventId: id.toLowerCase() }));
  }
}
