import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/principal';
import { DomainError } from '../common/errors/domain-errors';
import type { StringTable } from '../common/templates/string-table';
import { CLUSTER_CODES } from '../config/cluster-codes';
import { DirectoryService } from '../directory/directory.service';
import { GrowthView, MonthsQuery, ParticipationView, PeriodQuery, SigCoverageView } from '../reports/report.dto';
import { reportScopeOf } from '../reports/reports.reader';
import { ReportsService } from '../reports/reports.service';
import { ConsolePage } from './console-access';
import { ConsolePages } from './console-pages';
import { invalidFields } from './form-input';

const PARK_ZONE = 'Asia/Seoul';

/**
 * 보고서: the numbers the clusters steer by (issue 10) — participation between clusters, "one
 * company, one SIG" coverage and growth against the 1,000-company target — as tables that read
 * without JavaScript, charts drawn from the same numbers, and the CSV of each from the JSON API.
 * A cluster organizer sees their clusters' numbers, an admin everyone's: the same scope as the API.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/reports')
export class ReportsPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reports: ReportsService,
    private readonly directory: DirectoryService,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const strings = this.pages.strings(request, response);
    const names = await this.directory.clusterNames(this.pages.locale(request, response));
    const query = request.query as Record<string, unknown>;
    const given = (name: string) => (typeof query[name] === 'string' ? query[name].trim().slice(0, 40) : '');
    const year = DateTime.now().setZone(PARK_ZONE).startOf('year');
    const filter = {
      from: given('from') || year.toISODate()!,
      to: given('to') || year.plus({ years: 1 }).toISODate()!,
      monthsFrom: given('monthsFrom') || DateTime.now().setZone(PARK_ZONE).minus({ months: 11 }).toFormat('yyyy-MM'),
      monthsTo: given('monthsTo') || DateTime.now().setZone(PARK_ZONE).toFormat('yyyy-MM'),
    };
    const errors: Record<string, string> = {};
    const period = await invalidFields(PeriodQuery, { from: filter.from, to: filter.to });
    for (const field of period.fields) errors[field] = strings.text('console.reports.errors.date');
    const months = await invalidFields(MonthsQuery, { from: filter.monthsFrom, to: filter.monthsTo });
    for (const field of months.fields) errors[field === 'from' ? 'monthsFrom' : 'monthsTo'] = strings.text('console.reports.errors.month');

    const principal = principalOf(request);
    const scope = reportScopeOf(principal);
    const refused = (field: string) => (error: unknown) => {
      // The service refuses an order or a span (to before from, too many months): said next to the field, not a 500.
      if (!(error instanceof DomainError)) throw error;
      errors[field] = strings.text(field === 'to' ? 'console.reports.errors.order' : 'console.reports.errors.span');
      return null;
    };
    const participation = errors.from || errors.to ? null : await this.reports.participation(filter.from, filter.to, scope).catch(refused('to'));
    const growth =
      errors.monthsFrom || errors.monthsTo ? null : await this.reports.growth(filter.monthsFrom, filter.monthsTo, scope).catch(refused('monthsTo'));
    const coverage = await this.reports.sigCoverage(scope);
    const clusterName = (code: string | null) => (code === null ? strings.text('console.reports.noCluster') : (names.get(code) ?? code));
    this.pages.render(
      request,
      response,
      'console-reports',
      {
        title: strings.text('console.nav.reports'),
        section: 'reports',
        filter,
        errors,
        participation: participation && participationTable(participation, clusterName, strings),
        coverage: coverageTable(coverage, clusterName, strings),
        growth: growth && growthTable(growth, clusterName),
        csv: {
          participation: `/api/reports/participation?${new URLSearchParams({ from: filter.from, to: filter.to, format: 'csv' }).toString()}`,
          coverage: '/api/reports/sig-coverage?format=csv',
          growth: `/api/reports/growth?${new URLSearchParams({ from: filter.monthsFrom, to: filter.monthsTo, format: 'csv' }).toString()}`,
        },
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  }
}

type ClusterName = (code: string | null) => string;

/** Host clusters as rows, attendee clusters (and "no cluster") as columns; each cell confirmed and checked in. */
function participationTable(view: ParticipationView, clusterName: ClusterName, strings: StringTable) {
  const hosts = CLUSTER_CODES.filter((code) => view.matrix.some((cell) => cell.hostCluster === code));
  const attendees: (string | null)[] = [...CLUSTER_CODES.filter((code) => view.matrix.some((cell) => cell.attendeeCluster === code))];
  if (view.matrix.some((cell) => cell.attendeeCluster === null)) attendees.push(null);
  const cell = (host: string, attendee: string | null) => view.matrix.find((c) => c.hostCluster === host && c.attendeeCluster === attendee);
  const rows = hosts.map((host) => ({
    host: clusterName(host),
    cells: attendees.map((attendee) => ({ confirmed: cell(host, attendee)?.confirmed ?? 0, checkedIn: cell(host, attendee)?.checkedIn ?? 0 })),
  }));
  // Chart.js's own `data` shape (templates/assets/console-charts.js draws it on the page's canvas).
  const chart = {
    labels: hosts.map((host) => clusterName(host)),
    datasets: attendees.map((attendee) => ({ label: clusterName(attendee), data: hosts.map((host) => cell(host, attendee)?.confirmed ?? 0) })),
  };
  const share = view.crossClusterShare === null ? null : strings.text('console.reports.share', { percent: (view.crossClusterShare * 100).toFixed(1) });
  return { columns: attendees.map((attendee) => clusterName(attendee)), rows, empty: rows.length === 0, share, chart };
}

function coverageTable(view: SigCoverageView, clusterName: ClusterName, strings: StringTable) {
  const rows = view.clusters.map((row) => ({
    cluster: clusterName(row.cluster),
    companies: row.companies,
    companiesInSig: row.companiesInSig,
    percent: row.companies === 0 ? '–' : `${((row.companiesInSig / row.companies) * 100).toFixed(0)}%`,
    without: row.companiesWithoutSig,
  }));
  const chart = {
    labels: rows.map((row) => row.cluster),
    datasets: [
      { label: strings.text('console.reports.coverage.companies'), data: rows.map((row) => row.companies) },
      { label: strings.text('console.reports.coverage.inSig'), data: rows.map((row) => row.companiesInSig) },
    ],
  };
  return { rows, chart };
}

/** Months as rows, each cluster's companies, and the park's total against the target. */
function growthTable(view: GrowthView, clusterName: ClusterName) {
  const clusters = CLUSTER_CODES.filter((code) => view.months.some((month) => month.clusters.some((c) => c.cluster === code)));
  const rows = view.months.map((month) => {
    const of = (code: string) => month.clusters.find((c) => c.cluster === code);
    const companies = month.clusters.reduce((sum, c) => sum + c.companies, 0);
    return {
      month: month.month,
      cells: clusters.map((code) => ({ companies: of(code)?.companies ?? 0, members: of(code)?.members ?? 0 })),
      companies,
      percent: `${((companies / view.target) * 100).toFixed(1)}%`,
    };
  });
  const chart = {
    labels: rows.map((row) => row.month),
    datasets: [
      ...clusters.map((code, index) => ({ label: clusterName(code), data: rows.map((row) => row.cells[index].companies) })),
      { label: String(view.target), data: rows.map(() => view.target) },
    ],
  };
  return { columns: clusters.map((code) => clusterName(code)), rows, target: view.target, chart };
}
