import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { principalOf } from '../../auth/principal';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { AddSigCompaniesDto, CreateSigDto } from './sig.dto';
import { SigView } from './sig.view';
import { SigsService } from './sigs.service';

@ApiTags('sigs')
@OrganizerOnly()
@Controller('api/sigs')
export class SigsController {
  constructor(
    private readonly sigs: SigsService,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a SIG' })
  @ApiCreatedResponse({ type: SigView })
  @ApiConflictResponse({ description: 'a SIG of that name exists' })
  @ApiForbiddenResponse({ description: 'the SIG would span none of your clusters' })
  async create(@Body() dto: CreateSigDto, @Req() request: Request): Promise<SigView> {
    const sig = await this.sigs.create(principalOf(request), dto);
    await this.audit.recordFor(request, 'sig.create', `sig ${sig.id}`, { name: sig.name, clusters: sig.clusters });
    return sig;
  }

  @Post(':id/companies')
  @ApiOperation({ summary: 'Add companies to a SIG' })
  @HttpCode(200)
  @ApiOkResponse({ type: SigView, description: 'the SIG with its companies' })
  async addCompanies(@Param('id', UuidParam('id')) id: string, @Body() dto: AddSigCompaniesDto, @Req() request: Request): Promise<SigView> {
    const sig = await this.sigs.addCompanies(principalOf(request), id, dto);
    await this.audit.recordFor(request, 'sig.companies', `sig ${id}`, { added: dto.companyIds.length });
    return sig;
  }

  @Get()
  @ApiOperation({ summary: 'List SIGs with clusters, companies and member count' })
  @ApiOkResponse({ type: [SigView], description: 'a cluster organizer sees the SIGs that span one of their clusters' })
  list(@Req() request: Request): Promise<SigView[]> {
    return this.sigs.list(principalOf(request));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One SIG with its companies' })
  @ApiOkResponse({ type: SigView })
  get(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<SigView> {
    return this.sigs.get(principalOf(request), id);
  }
}
