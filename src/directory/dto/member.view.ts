import { ApiProperty } from '@nestjs/swagger';
import { Member } from '../entities/member.entity';
import { LOCALES } from '../../common/templates/locales';

export class MemberView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty() clusterCode: string;
  @ApiProperty({ enum: LOCALES }) locale: string;
  @ApiProperty() createdAt: Date;

  static of(member: Member): MemberView {
    return Object.assign(new MemberView(), {
      id: member.id,
      email: member.email,
      name: member.name,
      company: member.company?.name ?? null,
      clusterCode: member.clusterCode,
      locale: member.locale,
      createdAt: member.createdAt,
    });
  }
}
