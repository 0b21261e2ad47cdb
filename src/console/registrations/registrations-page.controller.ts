import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { ConflictError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { formatDateTime } from '../../common/templates/date-format';
import { DirectoryService } from '../../directory/directory.service';
import { EventsService } from '../../events/events.service';
import { CheckInService } from '../../registrations/check-in/check-in.service';
import { REGISTRATION_STATUSES } from '../../registrations/entities/registration.entity';
import { ListRegistrationsQuery } from '../../registrations/dto/list-registrations.query';
import { RegistrationsReader } from '../../registrations/registrations.reader';
import { CancelRegistration } from '../../registrations/use-cases/cancel-registration';
import { PromoteFromWaitlist } from '../../registrations/use-cases/promote-from-waitlist';
import { ConsoleEventPage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';

/** Rows per page unless `?limit=` asks for another number (1 to 500, as the API). */
const PAGE_SIZE = 50;
const FILTER_FIELDS = ['status', 'cluster', 'q'] as const;

/**
 * 참가 신청 (CONSOLE.md flow 4): an event's registrations filtered by status and cluster, searched
 * by name, company or email, a page at a time; cancelling or promoting one person; the CSV export.
 * A co-host's organizer sees only those who consented to their office (RegistrationsReader.page).
 */
@ApiExcludeController()
@ConsoleEventPage()
@Controller('console/events/:id')
export class RegistrationsPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly registrations: RegistrationsReader,
    private readonly cancelRegistration: CancelRegistration,
    private readonly promoteFromWaitlist: PromoteFromWaitlist,
    private readonly checkIns: CheckInService,
    private readonly audit: AuditLog,
  ) {}

  @Get('registrations')
  async page(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const strings = this.pages.strings(request, response);
    const locale = this.pages.locale(request, response);
    const event = await this.events.get(id, { organizer: true });
    const fields = formFields(request.query);
    const filter = { status: text(fields, 'status'), cluster: text(fields, 'cluster'), q: text(fields, 'q') };
    const after = text(fields, 'after');
    const limit = text(fields, 'limit');
    const plain = {
      ...Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== '')),
      ...(after ? { after } : {}),
      limit: limit || String(PAGE_SIZE),
    };
    const checked = await invalidFields(ListRegistrationsQuery, plain);
    const errors: Record<string, string> = {};
    for (const field of checked.fields) errors[field] = strings.text(`console.registrations.errors.${field === 'after' ? 'after' : field}`);
    const page = checked.fields.size === 0 ? await this.registrations.page(id, principalOf(request), checked.value) : { registrations: [], next: null };
    const names = await this.directory.clusterNames(locale);
    const filterQuery = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== ''));
    if (limit) filterQuery.set('limit', limit);
    const nextQuery = new URLSearchParams(filterQuery);
    if (page.next) nextQuery.set('after', page.next);
    this.pages.render(
      request,
      response,
      'console-registrations',
      {
        title: strings.text('console.registrations.title'),
        section: 'events',
        event: { id: event.id, title: event.title },
        filter,
        errors,
        statuses: REGISTRATION_STATUSES.map((status) => ({
          value: status,
          label: strings.text(`console.registrations.status.${status}`),
          selected: status === filter.status,
        })),
        clusters: [...names].map(([code, name]) => ({ value: code, label: name, selected: code === filter.cluster })),
        registrations: page.registrations.map((registration) => ({
          id: registration.id,
          name: registration.name,
          email: registration.email,
          company: registration.company,
          cluster: registration.clusterCode ? (names.get(registration.clusterCode) ?? registration.clusterCode) : null,
          status: strings.text(`console.registrations.status.${registration.status}`),
          statusClass: registration.status === 'confirmed' ? 'published' : registration.status === 'cancelled' ? 'cancelled' : 'draft',
          position: registration.position,
          registeredAt: formatDateTime(registration.createdAt, event.timezone, strings),
          canCancel: registration.status !== 'cancelled',
          canPromote: registration.status === 'waitlisted',
        })),
        nextUrl: page.next ? `/console/events/${id}/registrations?${nextQuery.toString()}` : null,
        firstUrl: after ? `/console/events/${id}/registrations?${filterQuery.toString()}` : null,
        filterFields: [...filterQuery].filter(([name]) => name !== 'limit').map(([name, value]) => ({ name, value })),
      },
      checked.fields.size > 0 ? 400 : 200,
    );
  }

  /** The same CSV as `GET /api/events/:id/registrations.csv`, for a console session. */
  @Get('registrations.csv')
  async export(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { filename, csv } = await this.checkIns.exportCsv(id, principalOf(request));
    await this.audit.recordFor(request, 'registrations.export', `event ${id}`);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    response.status(200).send(Buffer.from(csv, 'utf8'));
  }

  @Post('registrations/:registrationId/cancel')
  async cancel(
    @Param('id', UuidParam('id')) id: string,
    @Param('registrationId', UuidParam('registrationId')) registrationId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const cancelled = await this.cancelRegistration.byOrganizer(id, registrationId);
    await this.audit.recordFor(request, 'registration.cancel', `registration ${registrationId} of event ${id}`);
    setFlash(response, 'registrationCancelled', { name: cancelled.name });
    response.redirect(303, this.back(id, request));
  }

  @Post('registrations/:registrationId/promote')
  async promote(
    @Param('id', UuidParam('id')) id: string,
    @Param('registrationId', UuidParam('registrationId')) registrationId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const promoted = await this.promoteFromWaitlist.byOrganizer(id, registrationId);
      await this.audit.recordFor(request, 'registration.promote', `registration ${registrationId} of event ${id}`);
      setFlash(response, 'registrationPromoted', { name: promoted.name });
    } catch (error) {
      // Someone promoted or cancelled meanwhile, or no seat is free: the list shows which.
      if (!(error instanceof ConflictError)) throw error;
      setFlash(response, 'registrationNotPromoted', {}, 'error');
    }
    response.redirect(303, this.back(id, request));
  }

  /** Back to the list as it was filtered (the forms carry the filter as hidden fields). */
  private back(id: string, request: Request): string {
    const fields = formFields(request.body);
    const query = new URLSearchParams();
    for (const name of FILTER_FIELDS) if (text(fields, name) !== '') query.set(name, text(fields, name).slice(0, 200));
    const rest = query.toString();
    return `/console/events/${id}/registrations${rest ? `?${rest}` : ''}`;
  }
}
