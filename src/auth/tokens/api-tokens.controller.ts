import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { AuditLog } from '../audit/audit-log.service';
import { OrganizerOnly } from '../organizer-auth';
import { CreateApiTokenDto } from '../organizers/organizer.dto';
import { OrganizersService } from '../organizers/organizers.service';
import { principalOf } from '../principal';

/** API tokens for scripts: shown once, stored hashed, acting with their organizer's rights, revocable. */
@ApiTags('tokens')
@OrganizerOnly()
@Controller('api/tokens')
export class ApiTokensController {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  @ApiOperation({ summary: "Make an API token acting with its owner's rights; shown only in this answer" })
  @ApiCreatedResponse({ schema: { example: { id: '…', name: 'nightly member sync', token: 'shk_…' } }, description: 'The token is shown only here' })
  async create(
    @Body() dto: CreateApiTokenDto,
    @Req() request: Request,
  ): Promise<{ id: string; name: string; organizerId: string; token: string; createdAt: Date }> {
    const made = await this.organizers.createToken(principalOf(request)!, dto.name, dto.organizerId);
    await this.audit.recordFor(request, 'token.create', `token ${made.id} (${made.name})`, { organizerId: made.organizerId });
    return { id: made.id, name: made.name, organizerId: made.organizerId, token: made.token, createdAt: made.createdAt };
  }

  @Get()
  @ApiOperation({ summary: 'List API tokens (never their values)' })
  @ApiOkResponse({ description: "The caller's tokens (an admin's: everyone's), never their values" })
  list(@Req() request: Request) {
    return this.organizers.tokens(principalOf(request)!);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API token' })
  @ApiOkResponse({ description: 'Revoked: refused (401) from its next request' })
  @ApiNotFoundResponse({ description: 'No such token of yours' })
  async revoke(@Param('id', UuidParam('id')) id: string, @Req() request: Request) {
    const revoked = await this.organizers.revokeToken(principalOf(request)!, id);
    await this.audit.recordFor(request, 'token.revoke', `token ${revoked.id} (${revoked.name})`);
    return revoked;
  }
}
