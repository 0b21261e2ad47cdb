import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { BODY_KINDS } from './body.dto';

export class PersonRef {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

export class CompanyRef {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class SeatView {
  @ApiProperty() id: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: CLUSTER_CODES, nullable: true, description: 'a seat for a cluster (else for a company)' }) cluster: string | null;
  @ApiProperty({ type: CompanyRef, nullable: true, description: 'a seat for a company' }) company: CompanyRef | null;
  @ApiProperty({ type: PersonRef }) delegate: PersonRef;
  @ApiProperty({ type: PersonRef, nullable: true }) substitute: PersonRef | null;
}

export class MeetingRefView {
  @ApiProperty() eventId: string;
  @ApiProperty() title: string;
  @ApiProperty() startsAt: Date;
  @ApiProperty({ enum: ['draft', 'published', 'cancelled'] }) status: string;
  @ApiProperty({ description: 'minutes are attached' }) hasMinutes: boolean;
}

export class BodyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: BODY_KINDS }) kind: string;
  @ApiProperty({ nullable: true }) sigId: string | null;
  @ApiProperty({ type: [SeatView] }) seats: SeatView[];
  @ApiProperty({ type: [MeetingRefView], description: 'its meetings, by start' }) meetings: MeetingRefView[];
  @ApiProperty() createdAt: Date;
}

export class MeetingView {
  @ApiProperty() bodyId: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ description: 'invitations queued for delegates by this call (0 when each was invited before)' }) queued: number;
}

export class MinutesView {
  @ApiProperty() bodyId: string;
  @ApiProperty() eventId: string;
  @ApiProperty() text: string;
  @ApiPropertyOptional({ nullable: true }) fileName: string | null;
  @ApiPropertyOptional({ nullable: true }) fileType: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'bytes' }) fileSize: number | null;
  @ApiProperty() updatedAt: Date;
}
