import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly } from '../auth/organizer-auth';
import { Metrics } from '../common/metrics/metrics.service';
import { ApiOkText } from '../common/http/api-docs';

/**
 * Prometheus scrape endpoint. Behind the federation admin credential (the ADMIN_TOKEN bearer in the
 * scrape config): the figures (registrations, mail volume, routes) are not for the public, and one
 * port with the auth every api instance already has needs no second listener to firewall.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @ApiOkText('text/plain', 'Prometheus text exposition format 0.0.4')
  @AdminOnly()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format); federation admin only' })
  async scrape(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.exposition();
    response.type(contentType).send(body);
  }
}
