import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { Request, Response } from 'express';
import { IsDate, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AdminOnly } from '../organizer-auth';
import { AuditEntry, AuditLog } from './audit-log.service';

export class AuditLogQuery {
  @ApiPropertyOptional({ description: "the actor's email, or admin-token" })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  actor?: string;

  @ApiPropertyOptional({ example: 'event.publish' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 with an offset' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be a date and time (ISO 8601)' })
  from?: Date;

  @ApiPropertyOptional({ description: 'ISO 8601 with an offset (exclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be a date and time (ISO 8601)' })
  to?: Date;

  @ApiPropertyOptional({ description: 'the cursor of the next page, from the previous answer\'s Link header (rel="next")' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;

  @ApiPropertyOptional({ default: 500, maximum: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(5000)
  limit?: number;
}

@ApiTags('audit log')
@AdminOnly()
@Controller('api/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({ summary: 'The audit log, newest first; filter by actor, action and time' })
  @ApiOkResponse({
    description: 'Keyset pages of `limit` entries; while there are more, a `Link: <…&after=…>; rel="next"` header gives the next page',
    headers: {
      Link: { description: 'the next page, rel="next"; absent on the last page', schema: { type: 'string' } },
      'X-Next-Cursor': { description: 'the `after` value of the next page', schema: { type: 'string' } },
    },
    schema: {
      example: [{ at: '2027-03-01T01:02:03.000Z', actor: 'dc-office@park.example', action: 'event.publish', target: 'event 5f0c…', ip: '203.0.113.7' }],
    },
  })
  async list(@Query() query: AuditLogQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<AuditEntry[]> {
    const { entries, next } = await this.audit.page(query);
    if (next) {
      // The body stays the array clients already read (CONTRACT.md); the next page is a Link (RFC 8288) and its
      // cursor alone in X-Next-Cursor, as GET /api/events gives them.
      const url = new URL(request.originalUrl, 'http://localhost');
      url.searchParams.set('after', next);
      response.setHeader('X-Next-Cursor', next);
      response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    return entries;
  }
}
