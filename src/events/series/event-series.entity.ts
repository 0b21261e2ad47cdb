import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EventType } from '../entities/event.entity';

/**
 * A recurring event: its own iCalendar UID, the rule, and the template its occurrences were made
 * from. The occurrences are ordinary events (events.series_id, events.recurrence_id).
 */
@Entity('event_series')
export class EventSeries {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The UID of the master VEVENT (and its overrides) in the series feed; never an occurrence's UID. */
  @Column({ type: 'text' })
  uid: string;

  /** The RRULE value as written to the .ics: FREQ first, UNTIL in UTC (see expandSeries). */
  @Column({ type: 'text' })
  rrule: string;

  @Column({ type: 'varchar' })
  type: EventType;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** DTSTART of the master: the original start of the first occurrence. */
  @Column({ name: 'first_starts_at', type: 'timestamptz' })
  firstStartsAt: Date;

  /** DTEND of the master; every occurrence lasts as long (RFC 5545 §3.8.5.3: the same exact duration). */
  @Column({ name: 'first_ends_at', type: 'timestamptz' })
  firstEndsAt: Date;

  /** The zone the rule is expanded in: its wall-clock time stays fixed across daylight saving changes. */
  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'text', nullable: true })
  venue: string | null;

  @Column({ name: 'online_url', type: 'text', nullable: true })
  onlineUrl: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
