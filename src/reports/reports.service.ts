import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { csvLine, UTF8_BOM } from '../registrations/check-in/csv';
import { AttendanceView, FunnelView, GrowthView, ParticipationView, SigCoverageView } from './report.dto';
import { ReportScope, ReportsReader } from './reports.reader';

/** The member companies the park plans for (ARCHITECTURE.md: ~350 today, 1,000 planned). */
export const COMPANY_TARGET = 1000;
/** At most this many months in one growth report: a typo in a year must not make a report of centuries. */
const MAX_MONTHS = 120;
const PARK_ZONE = 'Asia/Seoul';

/** The organizers' reports, as JSON or as the CSV table a spreadsheet opens. */
@Injectable()
export class ReportsService {
  constructor(private readonly reader: ReportsReader) {}

  async participation(fromText: string, toText: string, scope: ReportScope): Promise<ParticipationView> {
    const from = instant(fromText, 'from');
    const to = instant(toText, 'to');
    if (to <= from) throw new InvalidInputError('to', 'must be after from');
    const [matrix, { cross, known }] = await Promise.all([this.reader.participationMatrix(from, to, scope), this.reader.crossCluster(from, to, scope)]);
    return { matrix, crossClusterShare: known === 0 ? null : cross / known };
  }

  async sigCoverage(scope: ReportScope): Promise<SigCoverageView> {
    return { clusters: await this.reader.sigCoverage(scope) };
  }

  async growth(fromMonth: string, toMonth: string, scope: ReportScope): Promise<GrowthView> {
    if (toMonth < fromMonth) throw new InvalidInputError('to', 'must not be before from');
    const span = DateTime.fromISO(`${toMonth}-01`).diff(DateTime.fromISO(`${fromMonth}-01`), 'months').months + 1;
    if (span > MAX_MONTHS) throw new InvalidInputError('to', `must be at most ${MAX_MONTHS} months after from`);
    const rows = await this.reader.growth(fromMonth, toMonth, scope);
    const months: GrowthView['months'] = [];
    for (const row of rows) {
      if (months.at(-1)?.month !== row.month) months.push({ month: row.month, clusters: [] });
      months.at(-1)!.clusters.push({ cluster: row.cluster, companies: row.companies, members: row.members });
    }
    return { target: COMPANY_TARGET, months };
  }

  /** `now`: meetings that have not begun are not counted yet (nobody could have attended them). */
  async attendance(bodyId: string, year: number, now: Date, scope: ReportScope): Promise<AttendanceView> {
    const clusters = await this.reader.bodyClusters(bodyId);
    if (clusters === null) throw new NotFoundError('body', 'bodyId');
    if (scope !== null && !clusters.some((cluster) => scope.includes(cluster)))
      throw new DomainError('forbidden', 'this body involves none of your clusters', 'bodyId');
    return { bodyId, year, seats: await this.reader.attendance(bodyId, year, now) };
  }

  async funnel(eventId: string): Promise<FunnelView> {
    return { clusters: await this.reader.funnel(eventId) };
  }
}

/** An ISO 8601 date or date-time; a date or a time without an offset is read in Seoul. */
function instant(text: string, field: string): Date {
  const parsed = DateTime.fromISO(text, { zone: PARK_ZONE, setZone: true });
  if (!parsed.isValid) throw new InvalidInputError(field, 'must be an ISO 8601 date or date-time');
  return parsed.toJSDate();
}

/** The CSV tables: UTF-8 with BOM, CRLF, every cell through the export's csvCell (formula prefixes neutralised). */
export const reportCsv = {
  participation: (view: ParticipationView): string =>
    UTF8_BOM +
    csvLine(['host_cluster', 'attendee_cluster', 'confirmed', 'checked_in']) +
    view.matrix.map((cell) => csvLine([cell.hostCluster, cell.attendeeCluster ?? '', String(cell.confirmed), String(cell.checkedIn)])).join('') +
    csvLine(['cross_cluster_share', view.crossClusterShare === null ? '' : String(view.crossClusterShare)]),
  sigCoverage: (view: SigCoverageView): string =>
    UTF8_BOM +
    csvLine(['cluster', 'companies', 'companies_in_sig', 'companies_without_sig']) +
    view.clusters
      .map((row) =>
        csvLine([row.cluster, String(row.companies), String(row.companiesInSig), row.companiesWithoutSig.map((company) => company.name).join('; ')]),
      )
      .join(''),
  growth: (view: GrowthView): string =>
    UTF8_BOM +
    csvLine(['month', 'cluster', 'companies', 'members']) +
    view.months.flatMap((month) => month.clusters.map((row) => csvLine([month.month, row.cluster, String(row.companies), String(row.members)]))).join(''),
  attendance: (view: AttendanceView): string =>
    UTF8_BOM +
    csvLine(['seat', 'cluster', 'company', 'delegate', 'substitute', 'meetings', 'attended_by_delegate', 'attended_by_substitute', 'absent']) +
    view.seats
      .map((seat) =>
        csvLine([
          seat.label,
          seat.cluster ?? '',
          seat.company ?? '',
          seat.delegate,
          seat.substitute ?? '',
          String(seat.meetings),
          String(seat.attendedByDelegate),
          String(seat.attendedBySubstitute),
          String(seat.absent),
        ]),
      )
      .join(''),
  funnel: (view: FunnelView): string =>
    UTF8_BOM +
    csvLine(['cluster', 'invited', 'registered', 'confirmed', 'checked_in']) +
    view.clusters.map((row) => csvLine([row.cluster, String(row.invited), String(row.registered), String(row.confirmed), String(row.checkedIn)])).join(''),
};
