import { Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { principalOf } from '../../auth/principal';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { CompaniesService } from './companies.service';
import { CreateCompanyDto, ListCompaniesQuery, UpdateCompanyDto } from './company.dto';
import { CompanyView } from './company.view';

@ApiTags('companies')
@OrganizerOnly()
@Controller('api/companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @ApiOperation({ summary: 'List member companies' })
  @ApiOkResponse({ type: [CompanyView], description: "a cluster organizer sees their clusters' companies" })
  async list(@Query() query: ListCompaniesQuery, @Req() request: Request): Promise<CompanyView[]> {
    return (await this.companies.list(principalOf(request), query.cluster)).map((company) => CompanyView.of(company));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One member company' })
  @ApiOkResponse({ type: CompanyView })
  async get(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<CompanyView> {
    return CompanyView.of(await this.companies.get(principalOf(request), id));
  }

  @Post()
  @ApiOperation({ summary: 'Add a member company' })
  @ApiCreatedResponse({ type: CompanyView })
  @ApiConflictResponse({ description: 'the name or the business number is taken' })
  @ApiForbiddenResponse({ description: 'the cluster is not one of yours' })
  async create(@Body() dto: CreateCompanyDto, @Req() request: Request): Promise<CompanyView> {
    return CompanyView.of(await this.companies.create(principalOf(request), dto));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a member company' })
  @ApiOkResponse({ type: CompanyView })
  @ApiConflictResponse({ description: 'the name or the business number is taken' })
  @ApiForbiddenResponse({ description: 'the new cluster is not one of yours' })
  async update(@Param('id', UuidParam('id')) id: string, @Body() dto: UpdateCompanyDto, @Req() request: Request): Promise<CompanyView> {
    return CompanyView.of(await this.companies.update(principalOf(request), id, dto));
  }
}
