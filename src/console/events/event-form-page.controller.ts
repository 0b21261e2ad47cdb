import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { DirectoryService } from '../../directory/directory.service';
import { agendaTimeProblems, readAgenda } from '../../events/agenda/agenda';
import { checkEventTimes } from '../../events/event-rules';
import { CreateEventDto } from '../../events/dto/create-event.dto';
import { UpdateEventDto } from '../../events/dto/update-event.dto';
import { EVENT_TYPES } from '../../events/entities/event.entity';
import { EventsService } from '../../events/events.service';
import { CreateEvent } from '../../events/use-cases/create-event';
import { checkQuotas } from '../../events/use-cases/event-fields';
import { UpdateEvent } from '../../events/use-cases/update-event';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields } from '../form-input';
import { ConsoleEventScoped } from './console-event-scope';
import { EventForm, eventFormOf, newEventForm, readEventForm, REMINDER_CHOICES } from './event-form';
import { eventInputOf, FormErrors, formFieldOf } from './event-form-input';

/** Zones offered in the form, Seoul first; an event stored in another zone adds its own. */
const TIMEZONES = [
  'Asia/Seoul',
  'UTC',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Singapore',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
];

/**
 * 행사 만들기 and 수정 (CONSOLE.md flow 1): one form for both, read into the events API's body and
 * checked by its DTO and use cases, so the console and the API accept exactly the same events.
 * Errors come back next to their fields with what was typed; the agenda's rows are added and
 * removed by submit buttons, so the form needs no JavaScript.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/events')
export class EventFormPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly createEvent: CreateEvent,
    private readonly updateEvent: UpdateEvent,
    private readonly audit: AuditLog,
  ) {}

  @Get('new')
  async newForm(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(request, response, null, newEventForm(principalOf(request)), new Map());
  }

  @Post('new')
  async create(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { form, rowAction } = readEventForm(formFields(request.body));
    if (rowAction !== null) return this.render(request, response, null, form, new Map());
    const { input, errors, agendaRows } = eventInputOf(form, false);
    const checked = await invalidFields(CreateEventDto, input);
    this.addValidationErrors(errors, checked.fields, input, agendaRows);
    this.addRuleErrors(errors, input, agendaRows);
    if (errors.size > 0) return this.render(request, response, null, form, errors, 400);
    try {
      const event = await this.createEvent.execute(checked.value, principalOf(request));
      await this.audit.recordFor(request, 'event.create', `event ${event.id} (${event.title})`);
      setFlash(response, 'eventCreated', { title: event.title });
      response.redirect(303, `/console/events/${event.id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || !failure.field) throw failure;
      errors.set(formFieldOf(failure.field, agendaRows), errorKey(formFieldOf(failure.field, agendaRows)));
      return this.render(request, response, null, form, errors, failure.code === 'conflict' ? 409 : 400);
    }
  }

  @Get(':id/edit')
  @ConsoleEventScoped()
  async editForm(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const event = await this.events.get(id, { organizer: true });
    await this.render(request, response, id, eventFormOf(event, principalOf(request)), new Map());
  }

  @Post(':id/edit')
  @ConsoleEventScoped()
  async update(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { form, rowAction } = readEventForm(formFields(request.body));
    if (rowAction !== null) return this.render(request, response, id, form, new Map());
    const { input, errors, agendaRows } = eventInputOf(form, true);
    const checked = await invalidFields(UpdateEventDto, input);
    this.addValidationErrors(errors, checked.fields, input, agendaRows);
    this.addRuleErrors(errors, input, agendaRows);
    if (errors.size > 0) return this.render(request, response, id, form, errors, 400);
    try {
      const { event, changed } = await this.updateEvent.execute(id, checked.value, principalOf(request));
      await this.audit.recordFor(request, 'event.change', `event ${id}`, { changed });
      setFlash(response, 'eventSaved', { title: event.title });
      response.redirect(303, `/console/events/${id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || !failure.field) throw failure;
      errors.set(formFieldOf(failure.field, agendaRows), errorKey(formFieldOf(failure.field, agendaRows)));
      return this.render(request, response, id, form, errors, failure.code === 'conflict' ? 409 : 400);
    }
  }

  /** The DTO's findings, each on its form field; the agenda's by row (readAgenda names them as the API does). */
  private addValidationErrors(errors: FormErrors, invalid: Set<string>, input: Record<string, unknown>, agendaRows: number[]): void {
    for (const property of invalid) {
      if (property === 'agenda') {
        for (const problem of readAgenda(input.agenda).problems) {
          const field = formFieldOf(problem.field, agendaRows);
          if (!errors.has(field)) errors.set(field, errorKey(field));
        }
        continue;
      }
      const field = formFieldOf(property, agendaRows);
      if (!errors.has(field)) errors.set(field, errorKey(field));
    }
  }

  /**
   * Quotas within the capacity, the order of the times and the agenda inside the event, checked with the use cases' own rules
   * (pure functions) before saving, so these errors show together with the others rather than
   * one submit later. The form sends every field, so its values are the whole event.
   */
  private addRuleErrors(errors: FormErrors, input: Record<string, unknown>, agendaRows: number[]): void {
    const rule = (check: () => void) => {
      try {
        check();
      } catch (failure) {
        if (!(failure instanceof DomainError) || !failure.field) throw failure;
        const field = formFieldOf(failure.field, agendaRows);
        if (!errors.has(field)) errors.set(field, errorKey(field));
      }
    };
    if (Array.isArray(input.quotas) && !errors.has('capacity')) {
      const quotas = input.quotas as { cluster: string; seats: number }[];
      rule(() => checkQuotas(quotas, typeof input.capacity === 'number' ? input.capacity : null));
    }
    const instant = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : null);
    const startsAt = instant(input.startsAt);
    const endsAt = instant(input.endsAt);
    if (!startsAt || !endsAt) return;
    const times = {
      startsAt,
      endsAt,
      registrationOpensAt: instant(input.registrationOpensAt),
      registrationClosesAt: instant(input.registrationClosesAt),
      quotaReleaseAt: instant(input.quotaReleaseAt),
    };
    rule(() => checkEventTimes(times));
    const agenda = readAgenda(input.agenda ?? []);
    if (agenda.problems.length > 0 || times.endsAt <= times.startsAt) return;
    for (const problem of agendaTimeProblems(agenda.items, times)) {
      const field = formFieldOf(problem.field, agendaRows);
      if (!errors.has(field)) errors.set(field, errorKey(field));
    }
  }

  private async render(request: Request, response: Response, eventId: string | null, form: EventForm, errors: FormErrors, status = 200): Promise<void> {
    const principal = principalOf(request);
    const locale = this.pages.locale(request, response);
    const strings = this.pages.strings(request, response);
    const names = await this.directory.clusterNames(locale);
    const message = (key: string) => strings.text(`consoleEvents.errors.${key}`);
    const fieldErrors = Object.fromEntries([...errors].filter(([field]) => !field.startsWith('agenda.')).map(([field, key]) => [field, message(key)]));
    const ownClusters = principal?.role === 'admin' ? [...CLUSTER_CODES] : (principal?.clusters ?? []);
    const cluster = (code: string, selected: boolean) => ({ code, name: names.get(code) ?? code, selected });
    const zones = TIMEZONES.includes(form.timezone) ? TIMEZONES : [form.timezone, ...TIMEZONES];
    const title = strings.text(eventId ? 'consoleEvents.form.editTitle' : 'consoleEvents.form.newTitle');
    this.pages.render(
      request,
      response,
      'console-event-form',
      {
        title,
        section: 'events',
        action: eventId ? `/console/events/${eventId}/edit` : '/console/events/new',
        cancelUrl: eventId ? `/console/events/${eventId}` : '/console/events',
        form,
        errors: fieldErrors,
        errorCount: errors.size,
        types: EVENT_TYPES.map((type) => ({ value: type, label: strings.text(`eventTypes.${type}`), selected: type === form.type })),
        timezones: zones.map((zone) => ({
          value: zone,
          label: zone === 'Asia/Seoul' ? `${strings.text('consoleEvents.form.seoulTime')} (Asia/Seoul)` : zone,
          selected: zone === form.timezone,
        })),
        hosts: ownClusters.map((code) => cluster(code, code === form.host)),
        coHosts: CLUSTER_CODES.map((code) => cluster(code, form.coHosts.includes(code))),
        audience: CLUSTER_CODES.map((code) => cluster(code, form.audience.includes(code))),
        quotas: CLUSTER_CODES.map((code) => ({ code, name: names.get(code) ?? code, value: form.quotas[code] ?? '' })),
        reminders: REMINDER_CHOICES.map((minutes) => ({
          value: String(minutes),
          label: strings.text(`consoleEvents.form.reminder.${minutes}`),
          checked: form.reminders.includes(String(minutes)),
        })),
        agendaRows: form.agenda.map((row, index) => {
          const rowErrors = ['start', 'end', 'title', 'speaker', 'affiliation'].filter((column) => errors.has(`agenda.${index}.${column}`));
          return {
            ...row,
            index,
            number: index + 1,
            errors: Object.fromEntries(rowErrors.map((column) => [column, true])),
            message: rowErrors.length > 0 ? rowErrors.map((column) => message(`agenda.${column}`)).join(' ') : null,
          };
        }),
      },
      status,
    );
  }
}

/** The string that explains a form field's error (`consoleEvents.errors.<key>`). */
function errorKey(field: string): string {
  const row = /^agenda\.\d+\.(\w+)$/.exec(field);
  return row ? `agenda.${row[1]}` : field;
}
