import { ApiProperty } from '@nestjs/swagger';
import { Registration, REGISTRATION_STATUSES } from '../entities/registration.entity';

export class RegistrationView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the cluster the registrant counts for; null for outside guests' }) cluster: string | null;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status: string;
  @ApiProperty({ enum: ['invitation', 'public'] }) source: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) confirmedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true, description: '1-based place on the waiting list' }) position: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['quota', 'open'], description: 'the pool a confirmed seat came from' }) seatPool: string | null;
  @ApiProperty({ type: Date, nullable: true }) checkedInAt: Date | null;

  static of(registration: Registration, position: number | null = null): RegistrationView {
    return Object.assign(new RegistrationView(), {
      id: registration.id,
      email: registration.email,
      name: registration.name,
      company: registration.company,
      cluster: registration.clusterCode,
      status: registration.status,
      source: registration.source,
      createdAt: registration.createdAt,
      confirmedAt: registration.confirmedAt,
      position,
      seatPool: registration.seatPool,
      checkedInAt: registration.checkedInAt,
    });
  }
}
