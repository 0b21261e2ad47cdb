import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrganizerOnly } from '../auth/organizer-auth';
import { DirectoryService } from './directory.service';
import { CreateMemberDto } from './dto/create-member.dto';
import { ListMembersQuery } from './dto/list-members.query';
import { MemberView } from './dto/member.view';
import { parseMemberCsv } from './member-csv-import';

@ApiTags('members')
@OrganizerOnly()
@Controller('api/members')
export class MembersController {
  constructor(private readonly directory: DirectoryService) {}

  @Post()
  async create(@Body() dto: CreateMemberDto): Promise<MemberView> {
    return MemberView.of(await this.directory.createMember(dto));
  }

  @Get()
  @ApiOkResponse({ type: [MemberView] })
  async list(@Query() query: ListMembersQuery): Promise<MemberView[]> {
    return (await this.directory.listMembers(query.cluster)).map(MemberView.of);
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'email,name,company,cluster,locale\nminji@example.kr,김민지,한빛소프트,ICT,ko' } })
  async import(@Req() request: Request, @Body() body: unknown) {
    if (!request.is('text/csv') && !request.is('text/plain')) {
      throw new UnsupportedMediaTypeException('body must be text/csv with the header email,name,company,cluster,locale');
    }
    if (typeof body !== 'string' || body.trim() === '') throw new BadRequestException(['body must be a CSV file']);
    const parsed = await parseMemberCsv(body);
    if ('headerError' in parsed) throw new BadRequestException([parsed.headerError]);
    const { created, updated } = parsed.accepted.length > 0 ? await this.directory.upsertMembers(parsed.accepted) : { created: 0, updated: 0 };
    return { created, updated, rejected: parsed.rejected };
  }
}
