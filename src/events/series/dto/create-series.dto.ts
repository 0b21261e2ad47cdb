import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { CreateEventDto } from '../../dto/create-event.dto';

/**
 * An event's fields for its first occurrence, and the rule. The registration window, the quota
 * release and the agenda's sessions are instants of one event, so a series leaves them out (set
 * them per occurrence).
 */
export class CreateSeriesDto extends OmitType(CreateEventDto, ['registrationOpensAt', 'registrationClosesAt', 'quotaReleaseAt', 'agenda'] as const) {
  @ApiProperty({
    example: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=12',
    description:
      'RFC 5545 RRULE value, expanded in the event zone from startsAt (which must be its first occurrence): FREQ DAILY, WEEKLY, MONTHLY or YEARLY, ' +
      'COUNT or UNTIL required, at most 60 occurrences within 10 years; no BYHOUR/BYMINUTE/BYSECOND (the time of day is that of startsAt)',
  })
  @IsString()
  rrule: string;
}
