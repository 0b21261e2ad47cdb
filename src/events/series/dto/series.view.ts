import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EventView } from '../../dto/event.view';
import { SeminarEvent } from '../../entities/event.entity';
import { EventSeries } from '../event-series.entity';

export class SeriesView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'iCalendar UID of the series feed (each occurrence keeps its own UID for its mails)' }) uid: string;
  @ApiProperty({ example: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=12', description: 'the rule as written to the series feed (UNTIL in UTC)' }) rrule: string;
  @ApiProperty() title: string;
  @ApiProperty() type: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ example: 'Asia/Seoul' }) timezone: string;
  @ApiProperty({ description: 'original start of the first occurrence (DTSTART of the series)' }) startsAt: Date;
  @ApiProperty({ description: 'original end of the first occurrence' }) endsAt: Date;
  @ApiPropertyOptional({ type: String, nullable: true }) venue: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) onlineUrl: string | null;
  @ApiProperty({ example: '/api/series/…/calendar.ics' }) calendarUrl: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: [EventView], description: 'the occurrences in the order of their original start (drafts for organizers only)' })
  occurrences: EventView[];

  static of(series: EventSeries, occurrences: SeminarEvent[]): SeriesView {
    return Object.assign(new SeriesView(), {
      id: series.id,
      uid: series.uid,
      rrule: series.rrule,
      title: series.title,
      type: series.type,
      description: series.description,
      timezone: series.timezone,
      startsAt: series.firstStartsAt,
      endsAt: series.firstEndsAt,
      venue: series.venue,
      onlineUrl: series.onlineUrl,
      calendarUrl: `/api/series/${series.id}/calendar.ics`,
      createdAt: series.createdAt,
      occurrences: occurrences.map((event) => EventView.of(event)),
    });
  }
}
