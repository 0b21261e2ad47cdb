import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Request, Response } from 'express';
import { CalendarService } from '../../calendar/calendar.service';
import { DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { eventViewModel } from '../../events/event-view-model';
import { TemplateLocale, TemplateRenderer } from '../../common/templates/template-renderer.service';
import { validateDto } from '../../common/validation/validate-dto';
import { isClusterCode } from '../../common/cluster-codes';
import { DirectoryService } from '../../directory/directory.service';
import { SeminarEvent } from '../../events/entities/event.entity';
import { registrationWindow } from '../../events/event-rules';
import { formatDateTime } from '../../common/templates/date-format';
import { EventsService } from '../../events/events.service';
import { RegisterDto } from '../dto/register.dto';
import { RegisterPublicly } from '../use-cases/register-publicly';
import { pageLocale } from './page-locale';
import { PAGE_TEXTS } from './page-texts';

/** The public pages: the list of published events and each event's page with its registration form. */
@ApiExcludeController()
@Controller('events')
export class EventPagesController {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly calendar: CalendarService,
    private readonly registerPublicly: RegisterPublicly,
  ) {}

  @Get()
  async list(@Query('cluster') cluster: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const locale = pageLocale(request);
    const selected = isClusterCode(cluster) ? cluster : undefined;
    const [events, clusters, names] = await Promise.all([
      this.events.list({ cluster: selected, from: new Date().toISOString() }, { organizer: false }),
      this.directory.listClusters(),
      this.directory.clusterNames(locale),
    ]);
    const html = this.templates.renderPage(locale, 'event-list', {
      title: PAGE_TEXTS[locale].events,
      lang: locale,
      selectedCluster: selected ?? '',
      clusters: clusters.map((c) => ({ code: c.code, name: names.get(c.code), selected: c.code === selected })),
      events: events.map((event) => ({ ...this.view(event, names, locale), url: `/events/${event.id}` })),
    });
    response.type('html').send(html);
  }

  @Get(':id')
  async show(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const locale = pageLocale(request);
    const event = await this.findEvent(id, locale, response);
    if (event) await this.renderEvent(response, 200, event, locale, null, {});
  }

  @Post(':id/registrations')
  async register(@Param('id') id: string, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const locale = pageLocale(request);
    const event = await this.findEvent(id, locale, response);
    if (!event) return;
    const form = { email: body?.email, name: body?.name, company: body?.company };
    const { value, errors } = await validateDto(RegisterDto, form);
    if (!value) return this.renderEvent(response, 400, event, locale, errors.join(' · '), form);
    try {
      await this.registerPublicly.execute(event.id, value);
    } catch (error) {
      if (error instanceof DomainError) return this.renderEvent(response, 409, event, locale, error.message, form);
      throw error;
    }
    const names = await this.directory.clusterNames(locale);
    response.status(202).type('html').send(
      this.templates.renderPage(locale, 'registration-received', {
        title: PAGE_TEXTS[locale].registrationReceived,
        lang: locale,
        event: this.view(event, names, locale),
        email: value.email,
      }),
    );
  }

  private async findEvent(id: string, locale: TemplateLocale, response: Response): Promise<SeminarEvent | undefined> {
    // Only "not found" becomes the 404 page; anything else (the database down) is a real error.
    const event = isUUID(id)
      ? await this.events.get(id, { organizer: false }).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        })
      : undefined;
    if (!event) {
      const message = locale === 'ko' ? '행사를 찾을 수 없습니다.' : 'Event not found.';
      response.status(404).type('html').send(this.templates.renderPage(locale, 'error', { title: message, lang: locale, message }));
    }
    return event;
  }

  private async renderEvent(response: Response, status: number, event: SeminarEvent, locale: TemplateLocale, message: string | null, form: object) {
    const names = await this.directory.clusterNames(locale);
    const window = registrationWindow(event);
    const open = window.open;
    if (!window.open && !message && window.at) {
      const when = formatDateTime(window.at, event.timezone, locale);
      message = window.reason === 'not_yet_open' ? PAGE_TEXTS[locale].opensAt(when) : PAGE_TEXTS[locale].closedAt(when);
    }
    const links = this.calendar.addToCalendarLinks(event);
    response.status(status).type('html').send(
      this.templates.renderPage(locale, 'event', {
        title: event.title,
        lang: locale,
        event: this.view(event, names, locale),
        registrationOpen: open,
        formAction: `/events/${event.id}/registrations${locale === 'en' ? '?lang=en' : ''}`,
        calendarUrl: this.calendar.calendarUrl(event),
        googleCalendarUrl: links.google,
        outlookCalendarUrl: links.outlook,
        message,
        form,
      }),
    );
  }

  private view(event: SeminarEvent, names: Map<string, string>, locale: TemplateLocale) {
    return eventViewModel(event, names, locale);
  }
}
