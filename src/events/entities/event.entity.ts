import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EventCluster } from './event-cluster.entity';
import { EventQuota } from './event-quota.entity';
import type { AgendaItem } from '../agenda/agenda';

export const EVENT_TYPES = ['seminar', 'tech_exchange', 'committee', 'sig_meeting'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type EventStatus = 'draft' | 'published' | 'cancelled';

@Entity('events')
export class SeminarEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The iCalendar UID, fixed at creation: every invitation, update and cancel of this event carries it. */
  @Column({ type: 'text' })
  uid: string;

  /** iCalendar SEQUENCE: grows with each change attendees must see (RFC 5546 §2.1.4). */
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'varchar' })
  type: EventType;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** IANA zone the event is shown in (pages, emails, the .ics VTIMEZONE). */
  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'text', nullable: true })
  venue: string | null;

  @Column({ name: 'online_url', type: 'text', nullable: true })
  onlineUrl: string | null;

  @Column({ type: 'integer', nullable: true })
  capacity: number | null;

  /** Confirmed registrations holding a seat; never above capacity (a CHECK in the schema). */
  @Column({ name: 'seats_taken', type: 'integer' })
  seatsTaken: number;

  @Column({ type: 'varchar' })
  status: EventStatus;

  @Column({ name: 'registration_opens_at', type: 'timestamptz', nullable: true })
  registrationOpensAt: Date | null;

  @Column({ name: 'registration_closes_at', type: 'timestamptz', nullable: true })
  registrationClosesAt: Date | null;

  /** When unclaimed cluster quota seats return to the open pool; null means 48 hours before the start. */
  @Column({ name: 'quota_release_at', type: 'timestamptz', nullable: true })
  quotaReleaseAt: Date | null;

  @Column({ name: 'quota_released', type: 'boolean' })
  quotaReleased: boolean;

  /** Minutes before the start at which confirmed registrants get a reminder; [] = none. Default [1440, 60]. */
  @Column({ name: 'reminder_offsets_minutes', type: 'integer', array: true })
  reminderOffsetsMinutes: number[];

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  /** The series this event is an occurrence of, or null for a one-off event. */
  @Column({ name: 'series_id', type: 'uuid', nullable: true })
  seriesId: string | null;

  /** An occurrence's original start, as the series' rule gave it: fixed even when the occurrence moves (its RECURRENCE-ID). */
  @Column({ name: 'recurrence_id', type: 'timestamptz', nullable: true })
  recurrenceId: Date | null;

  /** 주최: the host cluster whose office runs the event (the proposer's); null on older events, which take the first host. */
  @Column({ name: 'lead_host', type: 'varchar', nullable: true })
  leadHost: string | null;

  /** What the event is about; suggested invitees are matched on them. */
  @Column({ type: 'text', array: true })
  keywords: string[];
  /** The programme: sessions in order of their start, inside the event's time (events/agenda). */
  @Column({ type: 'jsonb' })
  agenda: AgendaItem[];

  @OneToMany(() => EventCluster, (link) => link.event, { cascade: ['insert'] })
  clusters: EventCluster[];

  @OneToMany(() => EventQuota, (quota) => quota.event)
  quotas: EventQuota[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
