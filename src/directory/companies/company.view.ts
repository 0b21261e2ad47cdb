import { ApiProperty } from '@nestjs/swagger';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { Company } from '../entities/company.entity';
import { formatBusinessNumber } from './business-number';

export class CompanyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CLUSTER_CODES }) clusterCode: string;
  @ApiProperty({ type: String, nullable: true, example: '124-81-00998' }) businessNumber: string | null;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty({ type: [String] }) emailDomains: string[];
  @ApiProperty() createdAt: Date;

  static of(company: Company): CompanyView {
    return Object.assign(new CompanyView(), {
      id: company.id,
      name: company.name,
      clusterCode: company.clusterCode,
      businessNumber: company.businessNumber ? formatBusinessNumber(company.businessNumber) : null,
      keywords: company.keywords ?? [],
      emailDomains: company.emailDomains ?? [],
      createdAt: company.createdAt,
    });
  }
}
