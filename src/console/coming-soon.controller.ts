import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConsolePage } from './console-access';
import { ConsolePages, ConsoleSection } from './console-pages';

/**
 * The areas of the top bar that later issues build (회원·기업, 발송 현황, 수신 거부):
 * until then a page saying so and pointing to the JSON API, rather than a dead link. Each route
 * goes when its area's own controller arrives.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console')
export class ComingSoonController {
  constructor(private readonly pages: ConsolePages) {}

  @Get('members')
  members(@Req() request: Request, @Res() response: Response): void {
    this.soon(request, response, 'members');
  }

  @Get('deliveries')
  deliveries(@Req() request: Request, @Res() response: Response): void {
    this.soon(request, response, 'deliveries');
  }

  @Get('suppressions')
  suppressions(@Req() request: Request, @Res() response: Response): void {
    this.soon(request, response, 'suppressions');
  }

  private soon(request: Request, response: Response, section: ConsoleSection): void {
    const strings = this.pages.strings(request, response);
    this.pages.render(request, response, 'console-soon', { title: strings.text(`console.nav.${section}`), section });
  }
}
