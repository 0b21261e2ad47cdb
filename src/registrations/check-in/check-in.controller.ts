import { EventScoped } from '../../events/event-scope.guard';
import { Body, ConflictException, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { principalOf } from '../../auth/principal';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { CheckInDto, CheckInView } from './check-in.dto';
import { CheckInService } from './check-in.service';

@ApiTags('check-in')
@EventScoped()
@Controller('api/events/:id')
export class CheckInController {
  constructor(
    private readonly checkIns: CheckInService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * 200 the first time. Every repeat is a 409 (nothing changed): `already checked in at <ISO>`,
   * with `checkedInAt` and `registration` in the body so the door can show who it was.
   */
  @Post('check-ins')
  @ApiOperation({ summary: 'Check a registrant in by their check-in code' })
  @HttpCode(200)
  @OrganizerOnly()
  @ApiOkResponse({ type: CheckInView })
  @ApiBadRequestResponse({ description: 'code missing or not a check-in code' })
  @ApiNotFoundResponse({ description: 'unknown event, or no registration of this event has the code' })
  @ApiConflictResponse({
    description:
      'already checked in (body adds checkedInAt and registration), registration not confirmed (adds registrationStatus and registration), or the event was cancelled',
  })
  async checkIn(@Param('id', UuidParam('id')) id: string, @Body() dto: CheckInDto): Promise<CheckInView> {
    const result = await this.checkIns.checkIn(id, dto.code);
    switch (result.status) {
      case 'checked_in':
        return result;
      case 'already_checked_in':
        throw new ConflictException({
          message: [`already checked in at ${result.checkedInAt.toISOString()}`],
          status: result.status,
          checkedInAt: result.checkedInAt,
          registration: result.registration,
        });
      case 'not_confirmed':
        throw new ConflictException({
          message: [`registration is ${result.registrationStatus.replace(/_/g, ' ')}, not confirmed: it cannot be checked in`],
          status: result.status,
          registrationStatus: result.registrationStatus,
          registration: result.registration,
        });
    }
  }

  @Get('registrations.csv')
  @ApiOperation({ summary: "Export the event's registrations as CSV (UTF-8 with BOM)" })
  @OrganizerOnly()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'name,email,company,cluster,status,registered_at,confirmed_at,checked_in_at — UTF-8 with BOM, CRLF; times in the event zone' })
  async export(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { filename, csv } = await this.checkIns.exportCsv(id, principalOf(request));
    await this.audit.recordFor(request, 'registrations.export', `event ${id}`);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.status(200).send(Buffer.from(csv, 'utf8'));
  }
}
