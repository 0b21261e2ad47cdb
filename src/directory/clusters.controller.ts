import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DirectoryService } from './directory.service';

@ApiTags('clusters')
@Controller('api/clusters')
export class ClustersController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  async list() {
    const clusters = await this.directory.listClusters();
    return clusters.map((cluster) => ({ code: cluster.code, name: cluster.nameKo, nameKo: cluster.nameKo, nameEn: cluster.nameEn }));
  }
}
