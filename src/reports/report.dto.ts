import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { CLUSTER_CODES } from '../config/cluster-codes';

export const REPORT_FORMATS = ['json', 'csv'] as const;

export class ReportFormatQuery {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json', description: 'csv: the table as a download, UTF-8 with BOM' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: 'format must be json or csv' })
  format?: (typeof REPORT_FORMATS)[number];
}

export class PeriodQuery extends ReportFormatQuery {
  @ApiProperty({ example: '2027-03-01', description: 'events starting from this instant (a date is midnight in Seoul)' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from: string;

  @ApiProperty({ example: '2027-04-01', description: 'up to, not including, this instant' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class MonthsQuery extends ReportFormatQuery {
  @ApiProperty({ example: '2027-01', description: 'the first month, YYYY-MM' })
  @Matches(MONTH, { message: 'from must be a month, YYYY-MM' })
  from: string;

  @ApiProperty({ example: '2027-03', description: 'the last month, YYYY-MM (inclusive)' })
  @Matches(MONTH, { message: 'to must be a month, YYYY-MM' })
  to: string;
}

export class ParticipationCellView {
  @ApiProperty({ enum: CLUSTER_CODES }) hostCluster: string;
  @ApiProperty({ type: String, enum: CLUSTER_CODES, nullable: true, description: 'null: guests of no known cluster' }) attendeeCluster: string | null;
  @ApiProperty() confirmed: number;
  @ApiProperty() checkedIn: number;
}

export class ParticipationView {
  @ApiProperty({ type: [ParticipationCellView] }) matrix: ParticipationCellView[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'confirmed registrations from a cluster that is not a host of their event ÷ confirmed registrations with a known cluster; null when there are none',
  })
  crossClusterShare: number | null;
}

class CompanyRef {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

class CoverageRowView {
  @ApiProperty({ enum: CLUSTER_CODES }) cluster: string;
  @ApiProperty() companies: number;
  @ApiProperty() companiesInSig: number;
  @ApiProperty({ type: [CompanyRef] }) companiesWithoutSig: CompanyRef[];
}

export class SigCoverageView {
  @ApiProperty({ type: [CoverageRowView] }) clusters: CoverageRowView[];
}

class GrowthClusterView {
  @ApiProperty({ enum: CLUSTER_CODES }) cluster: string;
  @ApiProperty() companies: number;
  @ApiProperty() members: number;
}

class GrowthMonthView {
  @ApiProperty({ example: '2027-03' }) month: string;
  @ApiProperty({ type: [GrowthClusterView] }) clusters: GrowthClusterView[];
}

export class GrowthView {
  @ApiProperty({ example: 1000, description: 'the member companies the park plans for' }) target: number;
  @ApiProperty({ type: [GrowthMonthView] }) months: GrowthMonthView[];
}

class FunnelRowView {
  @ApiProperty({ enum: CLUSTER_CODES }) cluster: string;
  @ApiProperty() invited: number;
  @ApiProperty() registered: number;
  @ApiProperty() confirmed: number;
  @ApiProperty() checkedIn: number;
}

export class FunnelView {
  @ApiProperty({ type: [FunnelRowView] }) clusters: FunnelRowView[];
}
