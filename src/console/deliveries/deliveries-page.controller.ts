import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import type { StringTable } from '../../common/templates/string-table';
import { formatDateTime } from '../../common/templates/date-format';
import { EventsService } from '../../events/events.service';
import { DeliveryIdParam, ListDeliveriesQuery } from '../../notifications/deliveries/deliveries.dto';
import { DeliveriesService } from '../../notifications/deliveries/deliveries.service';
import { ConsolePage } from '../console-access';
import { ConsoleEventPage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';

const PAGE_SIZE = 50;

/**
 * 발송 현황 of one event: how many mails wait, went out, failed or were skipped, each mail with the
 * reason it failed or was skipped, and retrying failed ones through the outbox (DeliveriesService).
 */
@ApiExcludeController()
@ConsoleEventPage()
@Controller('console/events/:id/deliveries')
export class EventDeliveriesPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly deliveries: DeliveriesService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const strings = this.pages.strings(request, response);
    const event = await this.events.get(id, { organizer: true });
    const fields = formFields(request.query);
    const status = text(fields, 'status');
    const after = text(fields, 'after');
    const checked = await invalidFields(ListDeliveriesQuery, { ...(status ? { status } : {}), ...(after ? { after } : {}), limit: String(PAGE_SIZE) });
    const page =
      checked.fields.size === 0 ? await this.deliveries.page(id, { status: checked.value.status, after: checked.value.after, limit: PAGE_SIZE }) : null;
    const counts = await this.deliveries.counts(id);
    const filterQuery = new URLSearchParams(status ? { status } : {});
    const nextQuery = new URLSearchParams(filterQuery);
    if (page?.next) nextQuery.set('after', page.next);
    this.pages.render(
      request,
      response,
      'console-event-deliveries',
      {
        title: strings.text('console.nav.deliveries'),
        section: 'deliveries',
        event: { id: event.id, title: event.title },
        counts,
        status,
        statusError: checked.fields.size > 0 ? strings.text('console.deliveries.errors.status') : null,
        statuses: (['pending', 'sent', 'failed', 'skipped'] as const).map((value) => ({
          value,
          label: strings.text(`console.deliveryStatus.${value}`),
          selected: value === status,
        })),
        deliveries: (page?.deliveries ?? []).map((delivery) => ({
          id: delivery.id,
          kind: kindLabel(delivery.kind, strings),
          recipient: delivery.recipient,
          status: strings.text(`console.deliveryStatus.${delivery.status}`),
          statusClass: delivery.status === 'sent' ? 'published' : delivery.status === 'failed' ? 'cancelled' : 'draft',
          attempts: delivery.attempts,
          reason: delivery.lastError,
          sentAt: delivery.sentAt ? formatDateTime(delivery.sentAt, event.timezone, strings) : null,
          canRetry: delivery.status === 'failed',
        })),
        nextUrl: page?.next ? `/console/events/${id}/deliveries?${nextQuery.toString()}` : null,
        firstUrl: after ? `/console/events/${id}/deliveries?${filterQuery.toString()}` : null,
      },
      checked.fields.size > 0 ? 400 : 200,
    );
  }

  @Post('retry')
  async retryAll(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { requeued } = await this.deliveries.retry(id);
    await this.audit.recordFor(request, 'deliveries.retry', `event ${id}`, { requeued });
    setFlash(response, 'deliveriesRetried', { count: requeued });
    response.redirect(303, this.back(id, request));
  }

  @Post(':deliveryId/retry')
  async retryOne(
    @Param('id', UuidParam('id')) id: string,
    @Param('deliveryId', DeliveryIdParam) deliveryId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    try {
      await this.deliveries.retryOne(id, deliveryId);
      await this.audit.recordFor(request, 'deliveries.retry', `delivery ${deliveryId} of event ${id}`, { requeued: 1 });
      setFlash(response, 'deliveryRetried');
    } catch (error) {
      // Retried meanwhile, or the address is suppressed: the list says which.
      if (!(error instanceof DomainError) || error.code !== 'conflict') throw error;
      setFlash(response, 'deliveryNotRetried', {}, 'error');
    }
    response.redirect(303, this.back(id, request));
  }

  private back(id: string, request: Request): string {
    const status = text(formFields(request.body), 'status');
    return `/console/events/${id}/deliveries${/^[a-z]{1,10}$/.test(status) ? `?status=${status}` : ''}`;
  }
}

/**
 * 발송 현황 in the top bar: per event the organizer may see, how many mails wait, went out, failed
 * or were skipped; the events with the latest mail first, a page at a time.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/deliveries')
export class DeliveriesOverviewPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const strings = this.pages.strings(request, response);
    const principal = principalOf(request)!;
    const after = text(formFields(request.query), 'after');
    const checked = await invalidFields(ListDeliveriesQuery, after ? { after } : {});
    // A cluster organizer sees the events their clusters host, as on the API (EventScopeGuard); only the
    // page's events are loaded.
    const scope = principal.role === 'admin' ? null : await this.events.idsHostedBy(principal.clusters);
    const summary = await this.deliveries.summaryByEvent(scope, {
      after: checked.fields.size === 0 ? checked.value.after : undefined,
      limit: PAGE_SIZE,
    });
    const byId = new Map((await this.events.summaries(summary.events.map((row) => row.eventId))).map((event) => [event.id, event]));
    this.pages.render(request, response, 'console-deliveries', {
      title: strings.text('console.nav.deliveries'),
      section: 'deliveries',
      events: summary.events.flatMap((row) => {
        const event = byId.get(row.eventId);
        return event ? [{ ...row, id: event.id, title: event.title, startsAt: formatDateTime(event.startsAt, event.timezone, strings) }] : [];
      }),
      nextUrl: summary.next ? `/console/deliveries?after=${summary.next}` : null,
      firstUrl: after ? '/console/deliveries' : null,
    });
  }
}

function kindLabel(kind: string, strings: StringTable): string {
  const key = `console.deliveries.kinds.${kind}`;
  return strings.has(key) ? strings.text(key) : kind;
}
