import { EventScoped } from '../../events/event-scope.guard';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { DeliveryView, ListDeliveriesQuery, RetryDeliveriesDto } from './deliveries.dto';
import { DeliveriesService } from './deliveries.service';
import { OutboxBacklog } from '../outbox/outbox.service';

/** Delivery tracking for organizers: every mail of an event and its state; failed ones can be retried. */
@ApiTags('deliveries')
@OrganizerOnly()
@EventScoped()
@Controller('api/events/:id/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ summary: "List the event's mails and their delivery state" })
  @ApiOkResponse({ type: [DeliveryView] })
  @ApiNotFoundResponse({ description: 'Unknown event' })
  list(@Param('id', UuidParam('id')) id: string, @Query() query: ListDeliveriesQuery): Promise<DeliveryView[]> {
    return this.deliveries.list(id, query.status);
  }

  @Get('backlog')
  @ApiOperation({ summary: "How many of the event's mails are pending, and the age of the oldest" })
  @ApiOkResponse({
    schema: { example: { pending: 3, oldestPendingSeconds: 12 } },
    description: "The event's mails still waiting to be sent and the age in seconds of the oldest (null when none): a growing age means the outbox is stuck",
  })
  @ApiNotFoundResponse({ description: 'Unknown event' })
  backlog(@Param('id', UuidParam('id')) id: string): Promise<OutboxBacklog> {
    return this.deliveries.backlog(id);
  }

  @Post('retry')
  @ApiOperation({ summary: 'Put failed deliveries back in line' })
  @HttpCode(202)
  @ApiAcceptedResponse({ schema: { example: { requeued: 3 } }, description: 'Failed deliveries put back in line (suppressed addresses excepted)' })
  @ApiNotFoundResponse({ description: 'Unknown event' })
  retry(@Param('id', UuidParam('id')) id: string, @Body() dto: RetryDeliveriesDto): Promise<{ requeued: number }> {
    return this.deliveries.retry(id, dto.ids);
  }
}
