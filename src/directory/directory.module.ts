import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersController } from './clusters.controller';
import { CompaniesController } from './companies/companies.controller';
import { CompaniesService } from './companies/companies.service';
import { SigsController } from './sigs/sigs.controller';
import { SigsService } from './sigs/sigs.service';
import { DirectoryService } from './directory.service';
import { DirectoryRefsReader } from './directory-refs.reader';
import { Cluster } from './entities/cluster.entity';
import { Company } from './entities/company.entity';
import { Member } from './entities/member.entity';
import { MembersController } from './members.controller';
import { ImportMembers } from './use-cases/import-members';
import { MemberImportReports } from './member-import-reports';

@Module({
  imports: [TypeOrmModule.forFeature([Cluster, Company, Member])],
  controllers: [ClustersController, MembersController, CompaniesController, SigsController],
  providers: [DirectoryService, DirectoryRefsReader, ImportMembers, MemberImportReports, CompaniesService, SigsService],
  exports: [DirectoryService, DirectoryRefsReader, ImportMembers, MemberImportReports, CompaniesService, SigsService],
})
export class DirectoryModule {}
