import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { DoorPasses } from '../../auth/door-staff/door-passes.service';
import { doorStaffActor, doorStaffOf } from '../../auth/door-staff/door-staff';
import { principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { formatDateTime, formatEventTime, formatTime } from '../../common/templates/date-format';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DirectoryService } from '../../directory/directory.service';
import { EventsService } from '../../events/events.service';
import { CheckInService } from '../../registrations/check-in/check-in.service';
import { ConsoleExceptionFilter } from '../console-access';
import { ConsolePages } from '../console-pages';
import { ConsoleCsrfGuard } from '../csrf';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';
import { DoorAccessGuard, DoorOrganizerGuard } from './door-access';
import { CreateDoorLinkDto } from './door-link.dto';

/** Carries a new door link to the next page (POST-redirect-GET) for one minute; read once, then cleared. */
const NEW_LINK_COOKIE = 'sh_new_door_link';

/**
 * 출석 체크: an event's door page. Door staff (signed in from a door link) and the event's
 * organizers type or scan a registrant's code; the next page says who it was — name, company and
 * cluster — or "이미 입장" with the time. Organizers also make door links here (shown once),
 * see them and revoke them. Plain forms, POST-redirect-GET; door.js only adds the camera scanner.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@UseGuards(DoorAccessGuard, ConsoleCsrfGuard)
@Controller('console/events/:id/door')
export class DoorPageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly checkIns: CheckInService,
    private readonly directory: DirectoryService,
    private readonly doorPasses: DoorPasses,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(request, response, id, { label: '' }, null, this.takeNewLink(request, response, id));
  }

  @Post()
  async checkIn(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const code = text(formFields(request.body), 'code').trim().slice(0, 64);
    const event = await this.events.get(id, { organizer: true });
    const strings = this.pages.strings(request, response);
    const back = `/console/events/${id}/door`;
    let result;
    try {
      result = await this.checkIns.checkIn(id, code);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const key = error.code === 'not_found' ? 'doorUnknown' : error.code === 'conflict' ? 'doorCancelled' : 'doorInvalid';
      setFlash(response, key, { code }, 'error');
      return response.redirect(303, back);
    }
    const clusters = await this.directory.clusterNames(this.pages.locale(request, response));
    const person = result.registration;
    const who = { name: person.name, company: person.company ?? '—', cluster: person.cluster ? (clusters.get(person.cluster) ?? person.cluster) : '—' };
    if (result.status === 'checked_in') {
      await this.recordCheckIn(request, id, person.id);
      setFlash(response, 'doorCheckedIn', { ...who, time: formatTime(result.checkedInAt, event.timezone, strings) });
    } else if (result.status === 'already_checked_in') {
      setFlash(response, 'doorAlready', { ...who, time: formatTime(result.checkedInAt, event.timezone, strings) }, 'error');
    } else {
      setFlash(response, 'doorNotConfirmed', { ...who, status: strings.text(`console.members.registrationStatus.${result.registrationStatus}`) }, 'error');
    }
    response.redirect(303, back);
  }

  @Post('links')
  @UseGuards(DoorOrganizerGuard)
  async createLink(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const label = text(formFields(request.body), 'label').trim();
    const checked = await invalidFields(CreateDoorLinkDto, { label });
    const strings = this.pages.strings(request, response);
    if (checked.fields.size > 0) return this.render(request, response, id, { label }, strings.text('console.door.errors.label'), null, 400);
    const event = await this.events.get(id, { organizer: true });
    let made;
    try {
      made = await this.doorPasses.create(event, checked.value.label, null, principalOf(request)!);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.render(request, response, id, { label }, strings.text('console.door.errors.ended'), null, 409);
    }
    await this.audit.recordFor(request, 'door.link_create', `door link ${made.pass.id} (${made.pass.label}) for event ${id}`);
    response.cookie(NEW_LINK_COOKIE, made.token, { httpOnly: true, sameSite: 'strict', path: `/console/events/${id}/door`, maxAge: 60_000 });
    setFlash(response, 'doorLinkCreated', { label: made.pass.label });
    response.redirect(303, `/console/events/${id}/door`);
  }

  @Post('links/:passId/revoke')
  @UseGuards(DoorOrganizerGuard)
  async revokeLink(
    @Param('id', UuidParam('id')) id: string,
    @Param('passId', UuidParam('passId')) passId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const revoked = await this.doorPasses.revoke(id, passId);
    await this.audit.recordFor(request, 'door.link_revoke', `door link ${revoked.id} (${revoked.label}) for event ${id}`);
    setFlash(response, 'doorLinkRevoked', { label: revoked.label });
    response.redirect(303, `/console/events/${id}/door`);
  }

  /** Check-ins by door staff are recorded under the pass's name; an organizer's under their email. */
  private async recordCheckIn(request: Request, eventId: string, registrationId: string): Promise<void> {
    const target = `registration ${registrationId} at event ${eventId}`;
    const staff = doorStaffOf(request);
    if (!staff) return this.audit.recordFor(request, 'door.check_in', target);
    await this.audit.record({ actor: doorStaffActor(staff), organizerId: null }, 'door.check_in', target, request.ip ?? null, { doorPass: staff.passId });
  }

  private takeNewLink(request: Request, response: Response, eventId: string): string | null {
    const raw = (request.cookies as Record<string, unknown> | undefined)?.[NEW_LINK_COOKIE];
    if (typeof raw !== 'string') return null;
    response.clearCookie(NEW_LINK_COOKIE, { httpOnly: true, sameSite: 'strict', path: `/console/events/${eventId}/door` });
    return /^[A-Za-z0-9_-]{43}$/.test(raw) ? `${this.config.publicUrl}/console/door/${raw}` : null;
  }

  private async render(
    request: Request,
    response: Response,
    id: string,
    form: { label: string },
    labelError: string | null,
    freshLink: string | null,
    status = 200,
  ): Promise<void> {
    const event = await this.events.get(id, { organizer: true });
    const strings = this.pages.strings(request, response);
    const staff = doorStaffOf(request);
    const links = staff
      ? []
      : (await this.doorPasses.ofEvent(id)).map((pass) => ({
          id: pass.id,
          label: pass.label,
          created: formatDateTime(pass.createdAt, event.timezone, strings),
          expires: formatDateTime(pass.expiresAt, event.timezone, strings),
          revoked: pass.revokedAt !== null,
        }));
    response.setHeader('Referrer-Policy', 'no-referrer');
    this.pages.render(
      request,
      response,
      'door',
      {
        title: strings.text('console.door.title'),
        section: 'events',
        event: { id: event.id, title: event.title, when: formatEventTime(event.startsAt, event.endsAt, event.timezone, strings) },
        staff: staff ? { label: staff.label } : null,
        organizer: !staff,
        links,
        form,
        labelError,
        freshLink,
      },
      status,
    );
  }
}
