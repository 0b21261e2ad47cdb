import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditLog } from '../audit/audit-log.service';
import { AdminOnly } from '../organizer-auth';
import { CreateOrganizerDto, OrganizerView } from './organizer.dto';
import { OrganizersService } from './organizers.service';

@ApiTags('organizers')
@AdminOnly()
@Controller('api/organizers')
export class OrganizersController {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Add an organizer (federation admin or cluster organizer)' })
  @ApiCreatedResponse({ type: OrganizerView })
  @ApiConflictResponse({ description: 'The email is already an organizer' })
  async create(@Body() dto: CreateOrganizerDto, @Req() request: Request): Promise<OrganizerView> {
    const made = await this.organizers.create(dto);
    await this.audit.recordFor(request, 'organizer.create', `organizer ${made.email}`, { role: made.role, clusters: made.clusters });
    return OrganizerView.of(made);
  }

  @Get()
  @ApiOperation({ summary: 'List the organizers' })
  @ApiOkResponse({ type: [OrganizerView] })
  async list(): Promise<OrganizerView[]> {
    return (await this.organizers.list()).map((record) => OrganizerView.of(record));
  }
}
