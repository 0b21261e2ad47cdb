import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/principal';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { CompaniesService } from '../../directory/companies/companies.service';
import { DirectoryService } from '../../directory/directory.service';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';

/**
 * 회원·기업, the companies: each member company with its cluster, how many members it has and
 * its SIGs, filtered by cluster; a cluster organizer sees their clusters' companies only.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/members/companies')
export class CompaniesPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly companies: CompaniesService,
    private readonly directory: DirectoryService,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = principalOf(request)!;
    const strings = this.pages.strings(request, response);
    const asked = typeof request.query.cluster === 'string' ? request.query.cluster : '';
    const visible: readonly string[] = principal.role === 'admin' ? CLUSTER_CODES : principal.clusters;
    const error = asked !== '' && !(CLUSTER_CODES as readonly string[]).includes(asked) ? strings.text('console.members.errors.cluster') : null;
    const names = await this.directory.clusterNames(this.pages.locale(request, response));
    const companies = error ? [] : await this.companies.withMembersAndSigs(principal, asked || undefined);
    this.pages.render(
      request,
      response,
      'console-companies',
      {
        title: strings.text('console.members.companiesTitle'),
        section: 'members',
        error,
        clusters: visible.map((code) => ({ code, name: names.get(code) ?? code, selected: code === asked })),
        companies: companies.map((company) => ({
          ...company,
          cluster: names.get(company.clusterCode) ?? company.clusterCode,
          sigs: company.sigs.join(', '),
          membersUrl: `/console/members?q=${encodeURIComponent(company.name)}`,
        })),
      },
      error ? 400 : 200,
    );
  }
}
