import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { DirectoryService } from './directory.service';

@ApiTags('clusters')
@Controller('api/clusters')
export class ClustersController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOkResponse({
    schema: {
      type: 'array',
      items: {
        type: 'object',
        properties: { code: { type: 'string', example: 'ICT' }, name: { type: 'string' }, nameKo: { type: 'string' }, nameEn: { type: 'string' } },
      },
    },
  })
  @ApiTooManyRequestsResponse({ description: 'Too many public requests from this address; see Retry-After' })
  @ApiOperation({ summary: 'The four clusters', security: [] })
  async list() {
    const clusters = await this.directory.listClusters();
    return clusters.map((cluster) => ({ code: cluster.code, name: cluster.nameKo, nameKo: cluster.nameKo, nameEn: cluster.nameEn }));
  }
}
