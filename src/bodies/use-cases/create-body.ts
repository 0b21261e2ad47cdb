import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actsFor, Principal } from '../../auth/principal';
import { ConflictError, DomainError, InvalidInputError } from '../../common/errors/domain-errors';
import { DirectoryRefsReader } from '../../directory/directory-refs.reader';
import { BodiesRepository } from '../bodies.repository';
import { BodyRecord, BodyRecords } from '../body-records';
import { CreateBodyDto } from '../dto/body.dto';

/** Sets up a standing body, with no seats yet. */
@Injectable()
export class CreateBody {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bodies: BodiesRepository,
    private readonly records: BodyRecords,
    private readonly directory: DirectoryRefsReader,
  ) {}

  execute(principal: Principal | null, dto: CreateBodyDto): Promise<BodyRecord> {
    if (dto.kind === 'steering_group' && !dto.sigId) throw new InvalidInputError('sigId', 'must name the SIG a steering group steers');
    return this.dataSource.transaction(async (manager) => {
      if (dto.sigId) {
        const clusters = await this.directory.sigClusters(dto.sigId, manager);
        if (!clusters) throw new InvalidInputError('sigId', 'names no SIG');
        if (!actsFor(principal, clusters)) throw new DomainError('forbidden', 'sigId names a SIG that spans none of your clusters', 'sigId');
      } else if (principal?.role !== 'admin') {
        throw new DomainError('forbidden', 'sigId is needed: a body of no SIG (the joint committee) is set up by a federation admin', 'sigId');
      }
      if (await this.bodies.nameTaken(manager, dto.name)) throw new ConflictError(`a body named ${dto.name} already exists`, 'name');
      const id = await this.bodies.insertBody(manager, dto.name, dto.kind, dto.sigId ?? null);
      return (await this.records.read([id], manager))[0];
    });
  }
}
