import { ApiProperty } from '@nestjs/swagger';
import { CLUSTER_CODES } from '../../config/cluster-codes';

export class SigCompanyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CLUSTER_CODES }) clusterCode: string;
}

export class SigView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty({ enum: CLUSTER_CODES, isArray: true }) clusters: string[];
  @ApiProperty({ description: 'spans two or more clusters' }) convergence: boolean;
  @ApiProperty({ type: [SigCompanyView] }) companies: SigCompanyView[];
  @ApiProperty({ description: "members of the SIG's companies" }) memberCount: number;
  @ApiProperty() createdAt: Date;
}
