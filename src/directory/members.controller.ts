import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditLog } from '../auth/audit/audit-log.service';
import { OrganizerOnly } from '../auth/organizer-auth';
import { actsFor, principalOf } from '../auth/principal';
import { DomainError } from '../common/errors/domain-errors';
import { chooseTextEncoding, decodeTextChunks } from '../common/http/text-body';
import { DirectoryService } from './directory.service';
import { CreateMemberDto } from './dto/create-member.dto';
import { ListMembersQuery } from './dto/list-members.query';
import { MemberView } from './dto/member.view';
import { ImportMembers } from './use-cases/import-members';

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
  @ApiOperation({ summary: 'Add a member' })
  async create(@Body() dto: CreateMemberDto, @Req() request: Request): Promise<MemberView> {
    if (!actsFor(principalOf(request), [dto.clusterCode])) throw new DomainError('forbidden', `${dto.clusterCode} is not one of your clusters`, 'clusterCode');
    return MemberView.of(await this.directory.createMember(dto));
  }

  @Get()
  @ApiOperation({ summary: 'List members, optionally of one cluster' })
  @ApiOkResponse({ type: [MemberView] })
  async list(@Query() query: ListMembersQuery, @Req() request: Request): Promise<MemberView[]> {
    // A cluster organizer sees the members of their own clusters.
    const principal = principalOf(request);
    const within = principal && principal.role !== 'admin' ? principal.clusters : undefined;
    return (await this.directory.listMembers(query.cluster, within)).map((member) => MemberView.of(member));
  }

  @Post('import')
  @ApiOperation({ summary: 'Import members from CSV (UTF-8 or CP949), in one transaction' })
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'UTF-8 (with or without BOM) or CP949/EUC-KR, as Excel in Korean saves CSV: by the charset of the Content-Type, else detected',
    schema: { type: 'string', example: 'email,name,company,cluster,locale\nminji@example.kr,김민지,한빛소프트,ICT,ko' },
  })
  async import(@Req() request: Request, @Body() body: unknown) {
    if (!request.is('text/csv') && !request.is('text/plain')) {
      throw new UnsupportedMediaTypeException('body must be text/csv with the header email,name,company,cluster,locale');
    }
    if (!Buffer.isBuffer(body) || isBlank(body)) throw new BadRequestException(['body must be a CSV file']);
    const encoding = chooseTextEncoding(body, request.headers['content-type']);
    const result = await this.importMembers.execute(decodeTextChunks(body, encoding));
    await this.audit.recordFor(request, 'members.import', `${result.created} created, ${result.updated} updated, ${result.rejected.length} rejected`);
    return result;
  }
}

/** Nothing but a UTF-8 BOM and ASCII white space (in UTF-8 and in CP949 alike). Stops at the first other byte. */
function isBlank(body: Buffer): boolean {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  for (let i = start; i < body.length; i++) {
    const byte = body[i];
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false;
  }
  return true;
}
