import { EventScoped } from '../../events/event-scope.guard';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { DeliveryIdParam, DeliveryView, ListDeliveriesQuery, RetryDeliveriesDto } from './deliveries.dto';
import { DeliveriesService } from './deliveries.service';
import { OutboxBacklog } from '../outbox/outbox.service';

/** Delivery tracking for organizers: every mail of an event and its state; failed ones can be retried. */
@ApiTags('deliveries')
@OrganizerOnly()
@EventScoped()
@Controller('api/events/:id/deliveries')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The event's mails and what became of each",
    description: 'In the order they were written. With `limit`, one page at a time: when more follow, the `Link` header names the next page (`rel="next"`).',
  })
  @ApiOkResponse({
    type: [DeliveryView],
    headers: {
      Link: { description: 'present when another page follows: `</api/events/…/deliveries?limit=50&after=42>; rel="next"`', schema: { type: 'string' } },
    },
  })
  @ApiBadRequestResponse({ description: 'A filter or the page is not valid (the message names the field)' })
  @ApiNotFoundResponse({ description: 'Unknown event' })
  async list(
    @Param('id', UuidParam('id')) id: string,
    @Query() query: ListDeliveriesQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DeliveryView[]> {
    const page = await this.deliveries.page(id, { status: query.status, after: query.after, limit: query.limit ?? null });
    if (page.next) {
      const next = new URLSearchParams();
      for (const [name, value] of Object.entries({ ...query, after: page.next })) if (value !== undefined) next.set(name, String(value));
      response.setHeader('Link', `</api/events/${id}/deliveries?${next.toString()}>; rel="next"`);
    }
    return page.deliveries;
  }

  @Get('backlog')
  @ApiOkResponse({
    schema: { example: { pending: 3, oldestPendingSeconds: 12 } },
    description: "The event's mails still waiting to be sent and the age in seconds of the oldest (null when none): a growing age means the outbox is stuck",
  })
  @ApiNotFoundResponse({ description: 'Unknown event' })
  backlog(@Param('id', UuidParam('id')) id: string): Promise<OutboxBacklog> {
    return this.deliveries.backlog(id);
  }

  @Post(':deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Put one failed delivery back in line',
    description: 'The same message (Message-ID, personal link) is sent again; attempts keep counting.',
  })
  @ApiAcceptedResponse({ schema: { example: { requeued: 1 } }, description: 'Back in line' })
  @ApiNotFoundResponse({ description: 'Unknown event, or no such delivery of it' })
  @ApiConflictResponse({ description: 'The delivery did not fail, or its address is suppressed (lift the suppression first)' })
  async retryOne(
    @Param('id', UuidParam('id')) id: string,
    @Param('deliveryId', DeliveryIdParam) deliveryId: string,
    @Req() request: Request,
  ): Promise<{ requeued: number }> {
    const result = await this.deliveries.retryOne(id, deliveryId);
    await this.audit.recordFor(request, 'deliveries.retry', `delivery ${deliveryId} of event ${id}`, result);
    return result;
  }

  @Post('retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ schema: { example: { requeued: 3 } }, description: 'Failed deliveries put back in line (suppressed addresses excepted)' })
  @ApiNotFoundResponse({ description: 'Unknown event' })
  async retry(@Param('id', UuidParam('id')) id: string, @Body() dto: RetryDeliveriesDto, @Req() request: Request): Promise<{ requeued: number }> {
    const result = await this.deliveries.retry(id, dto.ids);
    await this.audit.recordFor(request, 'deliveries.retry', `event ${id}`, result);
    return result;
  }
}
