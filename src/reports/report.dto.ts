import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { CLUSTER_CODES } from '../config/cluster-codes';
import { LOCALES, type Locale } from '../common/templates/locales';

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

export class SuggestionsQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000, description: 'at most this many people, best first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;

  @ApiPropertyOptional({ enum: LOCALES, description: 'the language of `reasons` (else the first language of Accept-Language, else ko)' })
  @IsOptional()
  @IsIn(LOCALES, { message: `lang must be one of ${LOCALES.join(', ')}` })
  lang?: Locale;
}

class KeywordMatchView {
  @ApiProperty({ enum: ['company', 'sig'], description: "the member's company's own keyword, or a keyword of a SIG the company is in" }) source: string;
  @ApiProperty({ type: String, nullable: true, description: "the SIG's name, for a SIG keyword" }) sig: string | null;
  @ApiProperty({ example: '인공지능' }) keyword: string;
  @ApiProperty({ example: '인공지능을' }) eventKeyword: string;
  @ApiProperty({
    example: 0.8,
    description:
      'how much the two resemble, case, spaces and punctuation aside (1 = the same): trigram similarity, or the share of a keyword that the other begins with',
  })
  similarity: number;
}

export class SuggestionView {
  @ApiProperty() memberId: string;
  @ApiProperty() name: string;
  @ApiProperty() company: string;
  @ApiProperty({ enum: CLUSTER_CODES }) cluster: string;
  @ApiProperty({ example: 3.14, description: 'sum of the matches: similarity × 2 for a company keyword, × 1 for a SIG keyword' }) score: number;
  @ApiProperty({ type: [String], example: ["기업 키워드 '인공지능' ≈ 행사 키워드 '인공지능을' (0.80)"] }) reasons: string[];
  @ApiProperty({ type: [KeywordMatchView], description: 'the same reasons as data' }) matches: KeywordMatchView[];
}

export class AttendanceQuery extends ReportFormatQuery {
  @ApiProperty({ description: 'the standing body (GET /api/bodies)' })
  @IsUUID('all', { message: 'bodyId must be a UUID' })
  bodyId: string;

  @ApiProperty({ example: 2027, description: 'the calendar year in Seoul' })
  @Type(() => Number)
  @IsInt({ message: 'year must be a year such as 2027' })
  @Min(2000, { message: 'year must be 2000 or later' })
  @Max(2100, { message: 'year must be 2100 or earlier' })
  year: number;
}

class AttendanceSeatView {
  @ApiProperty() seatId: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: CLUSTER_CODES, nullable: true }) cluster: string | null;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty() delegate: string;
  @ApiProperty({ type: String, nullable: true }) substitute: string | null;
  @ApiProperty({ description: 'meetings of the body in the year that have begun (cancelled ones aside)' }) meetings: number;
  @ApiProperty({ description: 'meetings the delegate checked in at' }) attendedByDelegate: number;
  @ApiProperty({ description: 'meetings the substitute checked in at, the delegate not' }) attendedBySubstitute: number;
  @ApiProperty({ description: 'meetings neither checked in at' }) absent: number;
}

export class AttendanceView {
  @ApiProperty() bodyId: string;
  @ApiProperty() year: number;
  @ApiProperty({ type: [AttendanceSeatView] }) seats: AttendanceSeatView[];
}
