import { Body, Controller, Inject, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { ApiHtmlPage } from '../../common/http/api-docs';
import type { Request, Response } from 'express';
import { CalendarService } from '../../calendar/calendar.service';
import { DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { eventViewModel } from '../../events/event-view-model';
import { DEFAULT_LOCALE, Locale, requestLocale } from '../../common/templates/locales';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { validateDto } from '../../common/validation/validate-dto';
import { isClusterCode } from '../../config/cluster-codes';
import { DirectoryService } from '../../directory/directory.service';
import { SeminarEvent } from '../../events/entities/event.entity';
import { registrationWindow } from '../../events/event-rules';
import { formatDateTime } from '../../common/templates/date-format';
import { EventsService } from '../../events/events.service';
import { RegisterDto } from '../dto/register.dto';
import { RegisterPublicly } from '../use-cases/register-publicly';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ConsentChoices, consentsFromForm, thirdPartyRecipients } from '../consents/consent-notice';
import { consentNoticeView } from '../consents/consent-notice-view';

/** The public pages: the list of published events and each event's page with its registration form. */
@ApiTags('pages')
@Controller('events')
export class EventPagesController {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly calendar: CalendarService,
    private readonly registerPublicly: RegisterPublicly,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'HTML: the published events, filtered by cluster', security: [] })
  @ApiHtmlPage({ 200: 'The list page', 429: 'Too many requests from this address' })
  async list(@Query('cluster') cluster: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const locale = requestLocale(request);
    const strings = this.templates.strings(locale);
    const selected = isClusterCode(cluster) ? cluster : undefined;
    const [events, clusters, names] = await Promise.all([
      this.events.list({ cluster: selected, from: this.clock.now().toISOString() }, { organizer: false }),
      this.directory.listClusters(),
      this.directory.clusterNames(locale),
    ]);
    const html = this.templates.renderPage(locale, 'event-list', {
      title: strings.text('pages.list.title'),
      selectedCluster: selected ?? '',
      clusters: clusters.map((c) => ({ code: c.code, name: names.get(c.code), selected: c.code === selected })),
      events: events.map((event) => ({ ...eventViewModel(event, names, strings), url: `/events/${event.id}` })),
    });
    response.type('html').send(html);
  }

  @Get(':id')
  @ApiOperation({ summary: "HTML: an event's page with its registration form", security: [] })
  @ApiHtmlPage({ 200: 'The event page', 404: 'Unknown or unpublished event' })
  async show(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const locale = requestLocale(request);
    const event = await this.findEvent(id, locale, response);
    if (event) await this.renderEvent(response, 200, event, locale, null, {}, null, false);
  }

  @Post(':id/registrations')
  @ApiOperation({ summary: 'HTML form post: register for the event', security: [] })
  @ApiHtmlPage({
    202: 'The page saying a confirmation link was mailed',
    400: 'The form again, the error next to its field and what was typed kept',
    404: 'Unknown or unpublished event',
    409: 'Registration is not open',
  })
  async register(@Param('id') id: string, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const locale = requestLocale(request);
    const event = await this.findEvent(id, locale, response);
    if (!event) return;
    const form = { email: body?.email, name: body?.name, company: body?.company };
    const choices = consentsFromForm(body, thirdPartyRecipients(event));
    const { value, errors } = await validateDto(RegisterDto, form);
    if (!value) return this.renderEvent(response, 400, event, locale, errors.join(' · '), form, choices, false);
    // The page's form carries the notice's version: sent from it without the required consent, nothing is
    // stored and the page comes back with the error at the checkbox. A post without any consent fields (a
    // script written before the notice) is taken as the API takes one without `consents`: the link asks.
    const fromNotice = body?.consent_version !== undefined;
    if (fromNotice && !choices.collection) return this.renderEvent(response, 400, event, locale, null, form, choices, true);
    try {
      await this.registerPublicly.execute(event.id, value, fromNotice ? choices : undefined);
    } catch (error) {
      // A window that closed meanwhile is said in the reader's words and the event's zone (renderEvent), not the API's.
      if (error instanceof DomainError)
        return this.renderEvent(response, 409, event, locale, registrationWindow(event, this.clock.now()).open ? error.message : null, form, choices, false);
      throw error;
    }
    const names = await this.directory.clusterNames(locale);
    const strings = this.templates.strings(locale);
    response
      .status(202)
      .type('html')
      .send(
        this.templates.renderPage(locale, 'registration-received', {
          title: strings.text('pages.received.title'),
          event: eventViewModel(event, names, strings),
          email: value.email,
        }),
      );
  }

  private async findEvent(id: string, locale: Locale, response: Response): Promise<SeminarEvent | undefined> {
    // Only "not found" becomes the 404 page; anything else (the database down) is a real error.
    const event = isUUID(id)
      ? await this.events.get(id, { organizer: false }).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        })
      : undefined;
    if (!event) {
      const message = this.templates.strings(locale).text('pages.eventNotFound');
      response
        .status(404)
        .type('html')
        .send(this.templates.renderPage(locale, 'error', { title: message, messages: [message] }));
    }
    return event;
  }

  private async renderEvent(
    response: Response,
    status: number,
    event: SeminarEvent,
    locale: Locale,
    message: string | null,
    form: object,
    choices: ConsentChoices | null,
    consentMissing: boolean,
  ) {
    const names = await this.directory.clusterNames(locale);
    const strings = this.templates.strings(locale);
    const window = registrationWindow(event, this.clock.now());
    const open = window.open;
    if (!window.open && !message && window.at) {
      // In the event's zone, as everything else on the page.
      const when = formatDateTime(window.at, event.timezone, strings);
      message = strings.text(window.reason === 'not_yet_open' ? 'pages.event.opensAt' : 'pages.event.closedAt', { when });
    }
    const links = this.calendar.addToCalendarLinks(event);
    response
      .status(status)
      .type('html')
      .send(
        this.templates.renderPage(locale, 'event', {
          title: event.title,
          event: eventViewModel(event, names, strings),
          registrationOpen: open,
          formAction: `/events/${event.id}/registrations${locale === DEFAULT_LOCALE ? '' : `?lang=${locale}`}`,
          calendarUrl: this.calendar.calendarUrl(event),
          googleCalendarUrl: links.google,
          outlookCalendarUrl: links.outlook,
          message,
          form,
          consent: consentNoticeView(thirdPartyRecipients(event), names, this.config.personalDataRetentionDays, strings, choices, consentMissing),
        }),
      );
  }
}
