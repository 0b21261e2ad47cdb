import { Approval } from '../approvals/approval-rules';
import { ApprovalView } from '../approvals/approval.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, SeminarEvent } from '../entities/event.entity';
import { quotaReleaseTime } from '../event-rules';
import { QuotaDto } from './quota.dto';
import { AgendaItemDto } from '../agenda/agenda.dto';

export class EventView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'iCalendar UID, fixed for the life of the event' }) uid: string;
  @ApiProperty({ description: 'iCalendar SEQUENCE' }) sequence: number;
  @ApiProperty({ enum: EVENT_TYPES }) type: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ example: '2027-03-10T05:00:00.000Z' }) startsAt: Date;
  @ApiProperty({ example: '2027-03-10T07:00:00.000Z' }) endsAt: Date;
  @ApiProperty({ example: 'Asia/Seoul' }) timezone: string;
  @ApiPropertyOptional({ type: String, nullable: true }) venue: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) onlineUrl: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null = unlimited' }) capacity: number | null;
  @ApiPropertyOptional({ description: 'present where the event has a capacity' }) seatsLeft?: number;
  @ApiProperty({ enum: ['draft', 'published', 'cancelled'] }) status: string;
  @ApiProperty({ type: [String], example: ['인공지능', 'Machine Learning'], description: 'what the event is about' }) keywords: string[];
  @ApiProperty({ type: [String], example: ['ICT', 'DC'] }) hostClusters: string[];
  @ApiProperty({ type: [String], example: ['ICT', 'IMT', 'DC', 'GREEN_IT'] }) audienceClusters: string[];
  @ApiPropertyOptional({ type: Date, nullable: true }) registrationOpensAt: Date | null;
  @ApiPropertyOptional({ type: Date, nullable: true }) registrationClosesAt: Date | null;
  @ApiProperty({ type: [QuotaDto], example: [{ cluster: 'ICT', seats: 20 }] }) quotas: { cluster: string; seats: number }[];
  @ApiProperty({ description: 'when unclaimed quota seats return to the open pool' }) quotaReleaseAt: Date;
  @ApiProperty({ type: [Number], example: [1440, 60], description: 'minutes before the start at which confirmed registrants get a reminder' })
  reminderOffsetsMinutes: number[];
  @ApiProperty({ type: [AgendaItemDto], description: 'the programme, in order of time (instants in UTC)' }) agenda: AgendaItemDto[];
  @ApiPropertyOptional({ type: Date, nullable: true }) publishedAt: Date | null;
  @ApiPropertyOptional({ type: Date, nullable: true }) cancelledAt: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) cancelReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the series this event is an occurrence of (GET /api/series/:id)' }) seriesId:
    string | null;
  @ApiPropertyOptional({ type: Date, nullable: true, description: "an occurrence's original start in its series; it stays when the occurrence moves" })
  recurrenceId: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiPropertyOptional({ type: [ApprovalView], description: 'organizers only: where each co-host approval stands (none when no approval was needed)' })
  approvals?: ApprovalView[];

  static of(event: SeminarEvent, approvals?: Approval[]): EventView {
    const view = Object.assign(new EventView(), {
      id: event.id,
      uid: event.uid,
      sequence: event.sequence,
      type: event.type,
      title: event.title,
      description: event.description,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timezone: event.timezone,
      venue: event.venue,
      onlineUrl: event.onlineUrl,
      capacity: event.capacity,
      status: event.status,
      keywords: event.keywords ?? [],
      hostClusters: clusterCodes(event, 'host'),
      audienceClusters: clusterCodes(event, 'audience'),
      registrationOpensAt: event.registrationOpensAt,
      registrationClosesAt: event.registrationClosesAt,
      quotas: (event.quotas ?? []).map((quota) => ({ cluster: quota.clusterCode, seats: quota.seats })),
      quotaReleaseAt: quotaReleaseTime(event),
      reminderOffsetsMinutes: event.reminderOffsetsMinutes,
      agenda: event.agenda ?? [],
      publishedAt: event.publishedAt,
      cancelledAt: event.cancelledAt,
      cancelReason: event.cancelReason,
      seriesId: event.seriesId ?? null,
      recurrenceId: event.recurrenceId ?? null,
      createdAt: event.createdAt,
      updatedAt: event.updatedAt,
    });
    if (event.capacity !== null) view.seatsLeft = Math.max(0, event.capacity - event.seatsTaken);
    if (approvals) view.approvals = approvals.map((approval) => ({ cluster: approval.cluster, status: approval.status, reason: approval.reason }));
    return view;
  }
}

const CLUSTER_ORDER = ['ICT', 'IMT', 'DC', 'GREEN_IT'];

export function clusterCodes(event: SeminarEvent, role: 'host' | 'audience'): string[] {
  return sortClusterCodes((event.clusters ?? []).filter((link) => link.role === role).map((link) => link.clusterCode));
}

/** Cluster codes in the park's order (ICT, IMT, DC, GREEN_IT), in place. */
export function sortClusterCodes(codes: string[]): string[] {
  return codes.sort((a, b) => CLUSTER_ORDER.indexOf(a) - CLUSTER_ORDER.indexOf(b));
}
