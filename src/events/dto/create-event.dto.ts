import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateNested,
} from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { EVENT_TYPES, EventType } from '../entities/event.entity';
import { QuotaDto } from './quota.dto';
import { AgendaItemDto, AgendaShape } from '../agenda/agenda.dto';
import { MAX_AGENDA_ITEMS } from '../agenda/agenda';
import { EVENT_TIME_RANGE, HasOffset, IanaTimeZone, WINDOW_TIME_RANGE, WithinYearsOfNow } from './time.validators';
import { Trimmed } from '../../common/validation/trimmed';
import { Keywords } from '../../common/validation/keywords';

/** ISO 8601 with an explicit offset or Z: a time without one would silently take the server's zone. */
const ISO_WITH_OFFSET = { strict: true, strictSeparator: true };
const OFFSET_MESSAGE = (field: string) => `${field} must be an ISO 8601 date-time with an offset, e.g. 2027-03-10T14:00:00+09:00`;
const CLUSTERS_MESSAGE = (field: string) => `each value in ${field} must be one of ${CLUSTER_CODES.join(', ')}`;

export class CreateEventDto {
  @ApiProperty({ example: 'AI × 콘텐츠 융합 세미나' })
  @Trimmed()
  @SingleLineText(300)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  // PostgreSQL cannot store U+0000 in text: refused here, or the insert fails with a 500.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000]*$/u, { message: '$property must not contain NUL characters' })
  description?: string;

  @ApiProperty({ enum: EVENT_TYPES })
  @IsIn(EVENT_TYPES, { message: `type must be one of ${EVENT_TYPES.join(', ')}` })
  type: EventType;

  @ApiProperty({ example: '2027-03-10T14:00:00+09:00', description: 'between 1 year ago and 10 years from now' })
  @IsISO8601(ISO_WITH_OFFSET, { message: OFFSET_MESSAGE('startsAt') })
  @Validate(HasOffset, { message: OFFSET_MESSAGE('startsAt') })
  @Validate(WithinYearsOfNow, [EVENT_TIME_RANGE])
  startsAt: string;

  @ApiProperty({ example: '2027-03-10T16:00:00+09:00', description: 'after startsAt, at most 31 days; between 1 year ago and 10 years from now' })
  @IsISO8601(ISO_WITH_OFFSET, { message: OFFSET_MESSAGE('endsAt') })
  @Validate(HasOffset, { message: OFFSET_MESSAGE('endsAt') })
  @Validate(WithinYearsOfNow, [EVENT_TIME_RANGE])
  endsAt: string;

  @ApiPropertyOptional({ default: 'Asia/Seoul', example: 'Asia/Seoul' })
  @IsOptional()
  @Validate(IanaTimeZone)
  timezone?: string;

  @ApiPropertyOptional({ example: '판교 글로벌R&D센터 세미나실 A' })
  @IsOptional()
  @Trimmed()
  @SingleLineText(300)
  venue?: string;

  @ApiPropertyOptional({ example: 'https://meet.example.com/abc' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'onlineUrl must be an http(s) URL' })
  @MaxLength(2000)
  onlineUrl?: string;

  @ApiPropertyOptional({ description: 'absent = unlimited', minimum: 1 })
  @IsOptional()
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(1)
  @Max(100_000)
  capacity?: number;

  @ApiPropertyOptional({
    example: '2027-02-01T09:00:00+09:00',
    description: 'registration opens (absent: at publication); before registrationClosesAt and endsAt',
  })
  @IsOptional()
  @IsISO8601(ISO_WITH_OFFSET, { message: OFFSET_MESSAGE('registrationOpensAt') })
  @Validate(HasOffset, { message: OFFSET_MESSAGE('registrationOpensAt') })
  @Validate(WithinYearsOfNow, [WINDOW_TIME_RANGE])
  registrationOpensAt?: string;

  @ApiPropertyOptional({
    example: '2027-03-09T18:00:00+09:00',
    description: 'registration closes (absent: at the end of the event); after registrationOpensAt, at or before endsAt',
  })
  @IsOptional()
  @IsISO8601(ISO_WITH_OFFSET, { message: OFFSET_MESSAGE('registrationClosesAt') })
  @Validate(HasOffset, { message: OFFSET_MESSAGE('registrationClosesAt') })
  @Validate(WithinYearsOfNow, [WINDOW_TIME_RANGE])
  registrationClosesAt?: string;

  @ApiPropertyOptional({ type: [QuotaDto], description: 'seats reserved per cluster until quotaReleaseAt; the rest of capacity is the open pool' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CLUSTER_CODES.length)
  @ValidateNested({ each: true })
  @Type(() => QuotaDto)
  quotas?: QuotaDto[];

  @ApiPropertyOptional({ description: 'when unclaimed quota seats return to the open pool (absent: 48 hours before the start); at or before startsAt' })
  @IsOptional()
  @IsISO8601(ISO_WITH_OFFSET, { message: OFFSET_MESSAGE('quotaReleaseAt') })
  @Validate(HasOffset, { message: OFFSET_MESSAGE('quotaReleaseAt') })
  @Validate(WithinYearsOfNow, [WINDOW_TIME_RANGE])
  quotaReleaseAt?: string;

  @ApiPropertyOptional({
    type: [Number],
    example: [1440, 60],
    description: 'minutes before the start at which confirmed registrants get a reminder email (default [1440, 60]; [] = none)',
  })
  @IsOptional()
  @IsArray({ message: 'reminderOffsetsMinutes must be an array of whole minutes' })
  @ArrayMaxSize(5, { message: 'reminderOffsetsMinutes must have at most 5 reminders' })
  @ArrayUnique({ message: 'reminderOffsetsMinutes must not repeat a value' })
  @IsInt({ each: true, message: 'each value in reminderOffsetsMinutes must be a whole number of minutes' })
  @Min(1, { each: true, message: 'each value in reminderOffsetsMinutes must be at least 1 minute' })
  @Max(43_200, { each: true, message: 'each value in reminderOffsetsMinutes must be at most 43200 minutes (30 days)' })
  reminderOffsetsMinutes?: number[];

  @ApiPropertyOptional({
    type: [AgendaItemDto],
    maxItems: MAX_AGENDA_ITEMS,
    description: `the programme: sessions inside the event, in order of their start (at most ${MAX_AGENDA_ITEMS}); a PATCH replaces the whole list, null or [] clears it`,
  })
  @IsOptional()
  @Validate(AgendaShape)
  agenda?: AgendaItemDto[];

  @ApiProperty({ enum: CLUSTER_CODES, isArray: true, example: ['ICT', 'DC'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'hostClusters must name at least one cluster' })
  @ArrayMaxSize(CLUSTER_CODES.length)
  @ArrayUnique({ message: 'hostClusters must not repeat a cluster' })
  @IsIn(CLUSTER_CODES, { each: true, message: CLUSTERS_MESSAGE('hostClusters') })
  hostClusters: ClusterCode[];

  @ApiPropertyOptional({
    type: [String],
    example: ['인공지능', 'Machine Learning'],
    description: 'what the event is about (at most 50, each one line of 1 to 60 characters); suggested invitees are matched on them',
  })
  @Keywords()
  keywords?: string[];

  @ApiPropertyOptional({ enum: CLUSTER_CODES, isArray: true, description: 'default: all four clusters' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'audienceClusters must name at least one cluster (leave it out for all four)' })
  @ArrayMaxSize(CLUSTER_CODES.length)
  @ArrayUnique({ message: 'audienceClusters must not repeat a cluster' })
  @IsIn(CLUSTER_CODES, { each: true, message: CLUSTERS_MESSAGE('audienceClusters') })
  audienceClusters?: ClusterCode[];
}
