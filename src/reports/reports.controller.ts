import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrganizerOnly } from '../auth/organizer-auth';
import { principalOf } from '../auth/principal';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { EventScoped } from '../events/event-scope.guard';
import {
  AttendanceQuery,
  AttendanceView,
  FunnelView,
  GrowthView,
  MonthsQuery,
  ParticipationView,
  PeriodQuery,
  ReportFormatQuery,
  SigCoverageView,
  SuggestionsQuery,
  SuggestionView,
} from './report.dto';
import { SuggestionsService } from './suggestions.service';
import { Clock } from '../common/clock';
import { requestLocale } from '../common/templates/locales';
import { TemplateRenderer } from '../common/templates/template-renderer.service';
import { ReportScope, reportScopeOf } from './reports.reader';
import { reportCsv, ReportsService } from './reports.service';

function scopeOf(request: Request): ReportScope {
  return reportScopeOf(principalOf(request));
}

/** JSON, or with ?format=csv the table as a download. */
function answer<T>(response: Response, format: string | undefined, view: T, toCsv: (view: T) => string, filename: string): T | void {
  if (format !== 'csv') return view;
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  response.setHeader('Cache-Control', 'no-store');
  response.status(200).send(Buffer.from(toCsv(view), 'utf8'));
}

@ApiTags('reports')
@OrganizerOnly()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly suggestions: SuggestionsService,
    private readonly clock: Clock,
    private readonly templates: TemplateRenderer,
  ) {}

  @Get('api/reports/participation')
  @ApiOperation({ summary: 'Participation by host and attendee cluster over a period' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ParticipationView })
  async participation(@Query() query: PeriodQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const view = await this.reports.participation(query.from, query.to, scopeOf(request));
    return answer(response, query.format, view, reportCsv.participation, 'participation.csv');
  }

  @Get('api/reports/sig-coverage')
  @ApiOperation({ summary: 'Per cluster, the companies in a SIG and those without one' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: SigCoverageView })
  async sigCoverage(@Query() query: ReportFormatQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const view = await this.reports.sigCoverage(scopeOf(request));
    return answer(response, query.format, view, reportCsv.sigCoverage, 'sig-coverage.csv');
  }

  @Get('api/reports/growth')
  @ApiOperation({ summary: 'Companies and members of each cluster month by month' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: GrowthView })
  async growth(@Query() query: MonthsQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const view = await this.reports.growth(query.from, query.to, scopeOf(request));
    return answer(response, query.format, view, reportCsv.growth, 'growth.csv');
  }

  @Get('api/reports/attendance')
  @ApiOperation({ summary: "Attendance per seat of a standing body over a year's meetings: by the delegate, by the substitute, absent" })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AttendanceView })
  @ApiNotFoundResponse({ description: 'no such body' })
  async attendance(@Query() query: AttendanceQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const view = await this.reports.attendance(query.bodyId, query.year, this.clock.now(), scopeOf(request));
    return answer(response, query.format, view, reportCsv.attendance, 'attendance.csv');
  }

  @Get('api/events/:id/funnel')
  @ApiOperation({ summary: 'Per cluster: invited, registered, confirmed, checked in' })
  @EventScoped()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: FunnelView })
  async funnel(@Param('id', UuidParam('id')) id: string, @Query() query: ReportFormatQuery, @Res({ passthrough: true }) response: Response) {
    const view = await this.reports.funnel(id);
    return answer(response, query.format, view, reportCsv.funnel, 'funnel.csv');
  }

  @Get('api/events/:id/suggestions')
  @EventScoped()
  @ApiOperation({
    summary: 'Suggested invitees: members of other clusters than the hosts whose company or SIG keywords resemble the event keywords, best first',
  })
  @ApiOkResponse({ type: [SuggestionView] })
  @ApiNotFoundResponse({ description: 'no such event' })
  suggest(@Param('id', UuidParam('id')) id: string, @Query() query: SuggestionsQuery, @Req() request: Request): Promise<SuggestionView[]> {
    return this.suggestions.suggest(id, this.templates.strings(requestLocale(request)), query.limit);
  }
}
