import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../auth/audit/audit-log.service';
import { OrganizerOnly } from '../auth/organizer-auth';
import { principalOf } from '../auth/principal';
import { EventScoped } from '../events/event-scope.guard';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { ListRegistrationsQuery } from './dto/list-registrations.query';
import { RegisterDto } from './dto/register.dto';
import { RegistrationView } from './dto/registration.view';
import { SendInvitationsDto } from './dto/send-invitations.dto';
import { RegistrationsReader } from './registrations.reader';
import { CancelRegistration } from './use-cases/cancel-registration';
import { PromoteFromWaitlist } from './use-cases/promote-from-waitlist';
import { RegisterPublicly } from './use-cases/register-publicly';
import { SendInvitations } from './use-cases/send-invitations';

@ApiTags('registrations')
@EventScoped()
@Controller('api/events/:id')
export class RegistrationsController {
  constructor(
    private readonly registrations: RegistrationsReader,
    private readonly sendInvitations: SendInvitations,
    private readonly registerPublicly: RegisterPublicly,
    private readonly cancelRegistration: CancelRegistration,
    private readonly promoteFromWaitlist: PromoteFromWaitlist,
    private readonly audit: AuditLog,
  ) {}

  @Post('invitations')
  @HttpCode(202)
  @OrganizerOnly()
  @ApiAcceptedResponse({ schema: { example: { queued: 120 } } })
  async invite(@Param('id', UuidParam('id')) id: string, @Body() dto: SendInvitationsDto, @Req() request: Request): Promise<{ queued: number }> {
    const result = await this.sendInvitations.execute(id, dto);
    await this.audit.recordFor(request, 'invitations.send', `event ${id}`, {
      queued: result.queued,
      clusters: dto.clusters,
      members: dto.memberIds?.length ?? 0,
    });
    return result;
  }

  @Post('registrations')
  @HttpCode(202)
  @ApiAcceptedResponse({ schema: { example: { status: 'pending_confirmation' } } })
  async register(@Param('id', UuidParam('id')) id: string, @Body() dto: RegisterDto): Promise<{ status: 'pending_confirmation' }> {
    await this.registerPublicly.execute(id, dto);
    return { status: 'pending_confirmation' };
  }

  @Get('registrations')
  @OrganizerOnly()
  @ApiOperation({
    summary: "The event's registrations, in the order they were made",
    description:
      'Filtered by `status`, `cluster` and `q` (name, company or email). With `limit`, one page at a time: when more follow, the `Link` header names the next page (`rel="next"`, its `after` the last id of this one). Without `limit`, all of them as before.',
  })
  @ApiOkResponse({
    type: [RegistrationView],
    headers: {
      Link: { description: 'present when another page follows: `</api/events/…/registrations?limit=50&after=…>; rel="next"`', schema: { type: 'string' } },
    },
  })
  @ApiBadRequestResponse({ description: 'A filter or the page is not valid (the message names the field)' })
  @ApiNotFoundResponse({ description: 'Unknown event' })
  async list(
    @Param('id', UuidParam('id')) id: string,
    @Query() query: ListRegistrationsQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RegistrationView[]> {
    const page = await this.registrations.page(id, principalOf(request), query);
    if (page.next) {
      const next = new URLSearchParams();
      for (const [name, value] of Object.entries({ ...query, after: page.next })) if (value !== undefined) next.set(name, String(value));
      response.setHeader('Link', `</api/events/${id}/registrations?${next.toString()}>; rel="next"`);
    }
    return page.registrations.map((registration) => RegistrationView.of(registration, registration.position));
  }

  /** The organizer cancels a registration; a freed seat goes to the next eligible waitlisted person. */
  @Post('registrations/:registrationId/cancel')
  @HttpCode(200)
  @OrganizerOnly()
  async cancel(
    @Param('id', UuidParam('id')) id: string,
    @Param('registrationId', UuidParam('registrationId')) registrationId: string,
    @Req() request: Request,
  ): Promise<RegistrationView> {
    const cancelled = await this.cancelRegistration.byOrganizer(id, registrationId);
    await this.audit.recordFor(request, 'registration.cancel', `registration ${registrationId} of event ${id}`);
    return RegistrationView.of(cancelled);
  }

  /** The organizer moves someone from the waiting list onto a free seat, out of turn. */
  @Post('registrations/:registrationId/promote')
  @HttpCode(200)
  @OrganizerOnly()
  async promote(
    @Param('id', UuidParam('id')) id: string,
    @Param('registrationId', UuidParam('registrationId')) registrationId: string,
    @Req() request: Request,
  ): Promise<RegistrationView> {
    const promoted = await this.promoteFromWaitlist.byOrganizer(id, registrationId);
    await this.audit.recordFor(request, 'registration.promote', `registration ${registrationId} of event ${id}`);
    return RegistrationView.of(promoted);
  }
}
