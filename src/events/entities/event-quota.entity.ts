import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SeminarEvent } from './event.entity';

/** Seats of an event reserved for one cluster until the event's quota release time. */
@Entity('event_quotas')
export class EventQuota {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @PrimaryColumn({ name: 'cluster_code', type: 'varchar' })
  clusterCode: string;

  @Column({ type: 'integer' })
  seats: number;

  @ManyToOne(() => SeminarEvent, (event) => event.quotas, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event: SeminarEvent;
}
