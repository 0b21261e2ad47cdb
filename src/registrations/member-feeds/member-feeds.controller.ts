import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { sendCalendar } from '../../calendar/feeds/calendar-response';
import { MemberFeedsService, MemberFeedUrls } from './member-feeds.service';
import { ApiOkText } from '../../common/http/api-docs';

export class MemberFeedView implements MemberFeedUrls {
  @ApiProperty({ example: 'https://hub.example/feeds/q7dXkz1n2Yb0pG4cW8vR5tLmA3sE9hJ6uK1oN2iB4fD.ics' }) url: string;
  @ApiProperty({ example: 'webcal://hub.example/feeds/q7dXkz1n2Yb0pG4cW8vR5tLmA3sE9hJ6uK1oN2iB4fD.ics' }) webcalUrl: string;
}

/** Organizers make and revoke a member's personal feed URL (to hand to the member). */
@ApiTags('calendar')
@OrganizerOnly()
@Controller('api/members')
export class MemberFeedsController {
  constructor(private readonly feeds: MemberFeedsService) {}

  @Post(':id/feed')
  @ApiOperation({ summary: "Make a member's private calendar feed URL (replaces the previous one)" })
  @ApiCreatedResponse({ type: MemberFeedView, description: 'A new secret feed URL; the previous one stops working' })
  @ApiNotFoundResponse({ description: 'Unknown member' })
  create(@Param('id', UuidParam('id')) id: string): Promise<MemberFeedView> {
    return this.feeds.create(id);
  }

  @Delete(':id/feed')
  @ApiOperation({ summary: "Revoke a member's calendar feed URL" })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The feed URL is revoked (also when there was none)' })
  @ApiNotFoundResponse({ description: 'Unknown member' })
  async revoke(@Param('id', UuidParam('id')) id: string): Promise<void> {
    await this.feeds.revoke(id);
  }
}

/** The personal feed itself: the secret in the URL is the only credential, as calendar apps need. */
@ApiTags('calendar')
@Controller('feeds')
export class MemberFeedController {
  constructor(private readonly feeds: MemberFeedsService) {}

  @Get(':token.ics')
  @ApiOperation({ summary: "A member's private feed: the events they are confirmed for (iCalendar)", security: [] })
  @ApiOkText('text/calendar', 'The events the member is confirmed for')
  @ApiNotFoundResponse({ description: 'Unknown or revoked feed (the answer does not say which)' })
  async feed(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const body = await this.feeds.render(token);
    sendCalendar(request, response, body, {
      // Personal: shared caches must not keep it; the secret URL must not leak through referrers or indexes.
      cacheControl: 'private, max-age=300',
      headers: { 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex, nofollow' },
    });
  }
}
