import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../auth/audit/audit-log.service';
import { OrganizerOnly } from '../auth/organizer-auth';
import { actsFor, principalOf } from '../auth/principal';
import { DomainError } from '../common/errors/domain-errors';
import { DirectoryService } from './directory.service';
import { CreateMemberDto } from './dto/create-member.dto';
import { ListMembersQuery } from './dto/list-members.query';
import { MemberView } from './dto/member.view';
import { ImportMembers, importSummary } from './use-cases/import-members';

@ApiTags('members')
@OrganizerOnly()
@Controller('api/members')
export class MembersController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly importMembers: ImportMembers,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  async create(@Body() dto: CreateMemberDto, @Req() request: Request): Promise<MemberView> {
    if (!actsFor(principalOf(request), [dto.clusterCode])) throw new DomainError('forbidden', `${dto.clusterCode} is not one of your clusters`, 'clusterCode');
    return MemberView.of(await this.directory.createMember(dto));
  }

  @Get()
  @ApiOperation({ summary: "Members (a cluster organizer's: of their clusters), by cluster and search, whole or a page at a time" })
  @ApiOkResponse({
    type: [MemberView],
    description: 'in the order they joined; with `limit`, one page',
    headers: { Link: { description: 'with `limit`, when more follow: `</api/members?…&after=<id>>; rel="next"` (RFC 8288)', schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({ description: 'cluster, q, limit or after not valid' })
  async list(@Query() query: ListMembersQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<MemberView[]> {
    // A cluster organizer sees the members of their own clusters.
    const principal = principalOf(request);
    const within = principal && principal.role !== 'admin' ? principal.clusters : undefined;
    const page = await this.directory.searchMembers({ ...query, within });
    if (page.more) {
      const next = new URLSearchParams();
      if (query.cluster) next.set('cluster', query.cluster);
      if (query.q) next.set('q', query.q);
      next.set('limit', String(query.limit));
      next.set('after', page.members[page.members.length - 1].id);
      response.setHeader('Link', `</api/members?${next.toString()}>; rel="next"`);
    }
    return page.members.map((member) => MemberView.of(member));
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import members from a CSV file, in one transaction; a cluster organizer only into their clusters (other rows are rejected by line)',
  })
  @ApiOkResponse({
    description: '`{ created, updated, rejected: [{ line, reason }] }`; `line` counts the file lines, the header being line 1',
    schema: {
      type: 'object',
      properties: {
        created: { type: 'integer' },
        updated: { type: 'integer' },
        rejected: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, reason: { type: 'string' } } } },
      },
    },
  })
  @ApiBadRequestResponse({ description: 'empty body, a wrong header, no valid CSV, or bytes that are no UTF-8 or CP949 text: nothing is stored' })
  @ApiPayloadTooLargeResponse({ description: 'more than 10 MB' })
  @ApiUnsupportedMediaTypeResponse({ description: 'not text/csv or text/plain, or a charset other than UTF-8 or CP949' })
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'UTF-8 (with or without BOM) or CP949/EUC-KR, as Excel in Korean saves CSV: by the charset of the Content-Type, else detected',
    schema: { type: 'string', example: 'email,name,company,cluster,locale\nminji@example.kr,김민지,한빛소프트,ICT,ko' },
  })
  async import(@Req() request: Request, @Body() body: unknown) {
    if (!request.is('text/csv') && !request.is('text/plain')) {
      throw new UnsupportedMediaTypeException('body must be text/csv with the header email,name,company,cluster,locale');
    }
    if (!Buffer.isBuffer(body)) throw new BadRequestException(['body must be a CSV file']);
    const result = await this.importMembers.importFile(body, request.headers['content-type'], principalOf(request));
    await this.audit.recordFor(request, 'members.import', importSummary(result));
    // The answer keeps the contract's shape; the console's report also counts the unchanged.
    return { created: result.created, updated: result.updated, rejected: result.rejected };
  }
}
