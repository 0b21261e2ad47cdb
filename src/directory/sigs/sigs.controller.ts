import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
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
  constructor(private readonly sigs: SigsService) {}

  @Post()
  @ApiCreatedResponse({ type: SigView })
  @ApiConflictResponse({ description: 'a SIG of that name exists' })
  @ApiForbiddenResponse({ description: 'the SIG would span none of your clusters' })
  create(@Body() dto: CreateSigDto, @Req() request: Request): Promise<SigView> {
    return this.sigs.create(principalOf(request), dto);
  }

  @Post(':id/companies')
  @HttpCode(200)
  @ApiOkResponse({ type: SigView, description: 'the SIG with its companies' })
  addCompanies(@Param('id', UuidParam('id')) id: string, @Body() dto: AddSigCompaniesDto, @Req() request: Request): Promise<SigView> {
    return this.sigs.addCompanies(principalOf(request), id, dto);
  }

  @Get()
  @ApiOkResponse({ type: [SigView], description: 'a cluster organizer sees the SIGs that span one of their clusters' })
  list(@Req() request: Request): Promise<SigView[]> {
    return this.sigs.list(principalOf(request));
  }

  @Get(':id')
  @ApiOkResponse({ type: SigView })
  get(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<SigView> {
    return this.sigs.get(principalOf(request), id);
  }
}
