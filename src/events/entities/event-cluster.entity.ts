import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SeminarEvent } from './event.entity';

export type EventClusterRole = 'host' | 'audience';

/** Co-hosts (role host) and the audience (role audience) of an event. */
@Entity('event_clusters')
export class EventCluster {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @PrimaryColumn({ type: 'varchar' })
  role: EventClusterRole;

  @PrimaryColumn({ name: 'cluster_code', type: 'varchar' })
  clusterCode: string;

  @ManyToOne(() => SeminarEvent, (event) => event.clusters, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event: SeminarEvent;
}
