import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const REGISTRATION_STATUSES = ['pending_confirmation', 'confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export type RegistrationSource = 'invitation' | 'public';

@Entity('registrations')
export class Registration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  /** One registration per (event, lower(email)): a unique index, not a check in code. */
  @Column({ type: 'varchar' })
  email: string;

  @Column({ name: 'member_id', type: 'uuid', nullable: true })
  memberId: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  company: string | null;

  @Column({ name: 'cluster_code', type: 'varchar', nullable: true })
  clusterCode: string | null;

  @Column({ type: 'varchar' })
  status: RegistrationStatus;

  @Column({ type: 'varchar' })
  source: RegistrationSource;

  /** Arrival order on the waiting list (from a sequence); null when not waitlisted. */
  @Column({ name: 'waitlist_order', type: 'bigint', nullable: true })
  waitlistOrder: string | null;

  /** The pool a confirmed seat came from: the registrant's cluster quota, or the open pool. */
  @Column({ name: 'seat_pool', type: 'varchar', nullable: true })
  seatPool: 'quota' | 'open' | null;

  @Column({ name: 'checked_in_at', type: 'timestamptz', nullable: true })
  checkedInAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;
}
