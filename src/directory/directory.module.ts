import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersController } from './clusters.controller';
import { DirectoryService } from './directory.service';
import { Cluster } from './entities/cluster.entity';
import { Company } from './entities/company.entity';
import { Member } from './entities/member.entity';
import { MembersController } from './members.controller';
import { ImportMembers } from './use-cases/import-members';

@Module({
  imports: [TypeOrmModule.forFeature([Cluster, Company, Member])],
  controllers: [ClustersController, MembersController],
  providers: [DirectoryService, ImportMembers],
  exports: [DirectoryService],
})
export class DirectoryModule {}
