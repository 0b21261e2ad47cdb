import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { DecideApprovalDto } from '../../events/approvals/approval.dto';
import { DecideApproval } from '../../events/approvals/decide-approval';
import { EventApprovalsRepository } from '../../events/approvals/event-approvals.repository';
import { eventViewModel } from '../../events/event-view-model';
import { EventsService } from '../../events/events.service';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { ConsoleEventScoped } from '../events/console-event-scope';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';

/** A decline sent without its reason: the row, and what was typed, to show again. */
interface DeclineError {
  eventId: string;
  cluster: string;
  reason: string;
}

/**
 * 승인 요청 (CONSOLE.md flow 2): the integrated seminars waiting on the organizer's clusters (an
 * admin's: on any cluster), each with 승인 and 거절 with a reason (the DecideApproval use case, as
 * `POST /api/events/:id/approvals`). The proposer hears of the answer by email.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/approvals')
export class ApprovalsPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly approvals: EventApprovalsRepository,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly decideApproval: DecideApproval,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(request, response, null);
  }

  @Post(':id')
  @ConsoleEventScoped()
  async decide(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const input = { cluster: text(fields, 'cluster'), decision: text(fields, 'decision'), reason: text(fields, 'reason') };
    const checked = await invalidFields(DecideApprovalDto, input);
    if (checked.fields.size > 0) {
      if (checked.fields.has('reason') && input.decision === 'decline' && !checked.fields.has('cluster')) {
        return this.render(request, response, { eventId: id, cluster: input.cluster, reason: input.reason }, 400);
      }
      setFlash(response, 'approvalInvalid', {}, 'error');
      return response.redirect(303, '/console/approvals');
    }
    try {
      const { event } = await this.decideApproval.execute(id, checked.value, principalOf(request)!);
      const approved = checked.value.decision === 'approve';
      await this.audit.recordFor(request, approved ? 'event.approve' : 'event.decline', `event ${id} for ${checked.value.cluster}`, {
        reason: checked.value.reason,
      });
      setFlash(response, approved ? 'approvalApproved' : 'approvalDeclined', { title: event.title, cluster: checked.value.cluster });
    } catch (failure) {
      if (!(failure instanceof DomainError) || failure.code === 'not_found') throw failure;
      // Not this organizer's cluster, already published, or never asked: nothing was decided.
      setFlash(response, 'approvalRefused', {}, 'error');
    }
    response.redirect(303, '/console/approvals');
  }

  private async render(request: Request, response: Response, declineError: DeclineError | null, status = 200): Promise<void> {
    const principal = principalOf(request)!;
    const locale = this.pages.locale(request, response);
    const strings = this.pages.strings(request, response);
    const names = await this.directory.clusterNames(locale);
    const waiting = await this.approvals.waitingOn(principal.role === 'admin' ? null : principal.clusters);
    const events = new Map<string, Awaited<ReturnType<EventsService['get']>>>();
    for (const approval of waiting)
      if (!events.has(approval.eventId)) events.set(approval.eventId, await this.events.get(approval.eventId, { organizer: true }));
    const requests = waiting.map((approval, index) => {
      const event = events.get(approval.eventId)!;
      const failed = declineError?.eventId === approval.eventId && declineError.cluster === approval.cluster;
      return {
        index,
        event: eventViewModel(event, names, strings),
        url: `/console/events/${approval.eventId}`,
        action: `/console/approvals/${approval.eventId}`,
        cluster: approval.cluster,
        clusterName: names.get(approval.cluster) ?? approval.cluster,
        requestedBy: approval.requestedBy,
        reason: failed ? declineError.reason : '',
        reasonError: failed ? strings.text('consoleEvents.approvals.reasonRequired') : null,
      };
    });
    this.pages.render(request, response, 'console-approvals', { title: strings.text('console.nav.approvals'), section: 'approvals', requests }, status);
  }
}
