import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { actsFor, principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { formatDateTime } from '../../common/templates/date-format';
import type { StringTable } from '../../common/templates/string-table';
import { DirectoryService } from '../../directory/directory.service';
import { Approval, missingApprovals } from '../../events/approvals/approval-rules';
import { EventApprovalsRepository } from '../../events/approvals/event-approvals.repository';
import { CancelEventDto } from '../../events/dto/cancel-event.dto';
import { clusterCodes } from '../../events/dto/event.view';
import { quotaReleaseTime } from '../../events/event-rules';
import { eventViewModel } from '../../events/event-view-model';
import { EventsService } from '../../events/events.service';
import { CancelEvent } from '../../events/use-cases/cancel-event';
import { PublishEvent } from '../../events/use-cases/publish-event';
import { OutboxService } from '../../notifications/outbox/outbox.service';
import { RegistrationCountsReader } from '../../registrations/registration-counts.reader';
import { ReportsService } from '../../reports/reports.service';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';
import { ConsoleEventScoped } from './console-event-scope';

/**
 * An event's overview (CONSOLE.md flows 2–4): its details, where each co-host's approval stands,
 * 게시 (disabled, with the reason, while approvals are missing), cancelling, seats, registrations
 * per day and the cluster mix (charts drawn by assets/console-charts.js over tables that hold the
 * same numbers), deliveries, and the tabs of the event's other pages.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/events/:id')
@ConsoleEventScoped()
export class EventOverviewPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly approvals: EventApprovalsRepository,
    private readonly directory: DirectoryService,
    private readonly registrations: RegistrationCountsReader,
    private readonly outbox: OutboxService,
    private readonly publishEvent: PublishEvent,
    private readonly cancelEvent: CancelEvent,
    private readonly audit: AuditLog,
    private readonly reports: ReportsService,
  ) {}

  @Get()
  async overview(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const locale = this.pages.locale(request, response);
    const strings = this.pages.strings(request, response);
    const event = await this.events.get(id, { organizer: true });
    const [approvals, names, stats, deliveries, funnel] = await Promise.all([
      this.approvals.list(id),
      this.directory.clusterNames(locale),
      this.registrations.eventStats(id, event.timezone),
      this.outbox.statusCounts(id),
      this.reports.funnel(id),
    ]);
    const name = (code: string | null) => (code === null ? strings.text('consoleEvents.overview.noCluster') : (names.get(code) ?? code));
    const missing = missingApprovals(approvals);
    const perDay = {
      labels: stats.perDay.map((row) => row.day),
      datasets: [{ label: strings.text('consoleEvents.overview.registrations'), data: stats.perDay.map((row) => row.count) }],
    };
    const mix = {
      labels: stats.clusters.map((row) => name(row.cluster)),
      datasets: [{ label: strings.text('consoleEvents.overview.people'), data: stats.clusters.map((row) => row.count) }],
    };
    const when = (instant: Date | null) => (instant ? formatDateTime(instant, event.timezone, strings) : null);
    this.pages.render(request, response, 'console-event', {
      title: event.title,
      section: 'events',
      event: {
        ...eventViewModel(event, names, strings),
        statusLabel: strings.text(`console.status.${event.status}`),
        publicUrl: event.status === 'draft' ? null : `/events/${event.id}`,
        audienceNames: clusterCodes(event, 'audience').map(name).join(' · '),
        capacity: event.capacity,
        quotas: (event.quotas ?? []).map((quota) => ({ name: name(quota.clusterCode), seats: quota.seats })),
        quotaReleaseAt: (event.quotas ?? []).length > 0 ? when(quotaReleaseTime(event)) : null,
        opensAt: when(event.registrationOpensAt),
        closesAt: when(event.registrationClosesAt ?? event.endsAt),
        cancelReason: event.cancelReason,
      },
      approvals: approvals.map((approval) => ({ ...approval, name: name(approval.cluster), label: strings.text(`consoleEvents.approval.${approval.status}`) })),
      // A co-host's organizer reading the event they are asked about: where to answer.
      askedOfYou:
        event.status === 'draft' &&
        approvals.some(
          (approval) => approval.status === 'pending' && principalOf(request)?.role !== 'admin' && actsFor(principalOf(request), [approval.cluster]),
        ),
      canPublish: event.status === 'draft' && missing.length === 0,
      publishBlocked: event.status === 'draft' && missing.length > 0 ? this.blockedReason(missing, name, strings) : null,
      canCancel: event.status !== 'cancelled',
      // Who the cancellation mail reaches, said next to the box the organizer must tick.
      cancelAudience: stats.byStatus.confirmed + stats.byStatus.waitlisted + stats.byStatus.pending_confirmation,
      isDraft: event.status === 'draft',
      seats: {
        confirmed: stats.byStatus.confirmed,
        waitlisted: stats.byStatus.waitlisted,
        pending: stats.byStatus.pending_confirmation,
        left: event.capacity === null ? null : Math.max(0, event.capacity - event.seatsTaken),
      },
      perDay: stats.perDay,
      clusterMix: stats.clusters.map((row) => ({ name: name(row.cluster), count: row.count })),
      perDayJson: chartJson(perDay),
      mixJson: chartJson(mix),
      deliveries,
      // Invited → registered → confirmed → checked in, per cluster (issue 10's funnel, the same query as the API).
      funnel: funnel.clusters.map((row) => ({ ...row, name: name(row.cluster) })),
      base: `/console/events/${id}`,
    });
  }

  @Post('publish')
  async publish(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const event = await this.publishEvent.execute(id);
      await this.audit.recordFor(request, 'event.publish', `event ${id}`);
      setFlash(response, 'eventPublished', { title: event.title });
    } catch (failure) {
      if (!(failure instanceof DomainError) || failure.code !== 'conflict') throw failure;
      // The page already says who has not approved; a race (a decline in between) lands here.
      setFlash(response, 'eventNotPublished', {}, 'error');
    }
    response.redirect(303, `/console/events/${id}`);
  }

  @Post('cancel')
  async cancel(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    // Cancelling mails everyone and cannot be undone: only with the box ticked (the browser asks too).
    if (text(fields, 'confirm') !== 'yes') {
      setFlash(response, 'cancelNotConfirmed', {}, 'error');
      return response.redirect(303, `/console/events/${id}`);
    }
    const reason = text(fields, 'reason').trim();
    const checked = await invalidFields(CancelEventDto, reason === '' ? {} : { reason });
    if (checked.fields.size > 0) {
      setFlash(response, 'cancelReasonInvalid', {}, 'error');
      return response.redirect(303, `/console/events/${id}`);
    }
    const event = await this.cancelEvent.execute(id, checked.value.reason);
    await this.audit.recordFor(request, 'event.cancel', `event ${id}`, { reason: checked.value.reason });
    setFlash(response, 'eventCancelled', { title: event.title });
    response.redirect(303, `/console/events/${id}`);
  }

  private blockedReason(missing: Approval[], name: (code: string) => string, strings: StringTable): string {
    const who = missing
      .map((approval) =>
        approval.status === 'declined'
          ? strings.text('consoleEvents.overview.declinedBy', { cluster: name(approval.cluster), reason: approval.reason ?? '' })
          : strings.text('consoleEvents.overview.pendingBy', { cluster: name(approval.cluster) }),
      )
      .join(', ');
    return strings.text('consoleEvents.overview.publishBlocked', { who });
  }
}

/** Chart data for a `<script type="application/json">` block: `<` escaped, so no text can close the element. */
function chartJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
