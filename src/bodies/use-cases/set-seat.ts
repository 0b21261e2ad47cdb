import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../../auth/principal';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors/domain-errors';
import { DirectoryRefsReader } from '../../directory/directory-refs.reader';
import { BodiesRepository } from '../bodies.repository';
import { BodyRecord, BodyRecords } from '../body-records';
import { checkSeatHolders, checkSeatShape } from '../seat-rules';
import { mustActForSeat, mustSeeBody } from '../body-rights';
import { SeatDto } from '../dto/body.dto';

/** Adds a seat to a body's roster (`seatId` null) or replaces one: its label, what it stands for and who holds it (seat-rules.ts). */
@Injectable()
export class SetSeat {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bodies: BodiesRepository,
    private readonly records: BodyRecords,
    private readonly directory: DirectoryRefsReader,
  ) {}

  execute(principal: Principal | null, bodyId: string, seatId: string | null, dto: SeatDto): Promise<BodyRecord> {
    checkSeatShape(dto);
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.bodies.lock(manager, bodyId))) throw new NotFoundError('body');
      mustSeeBody(principal, (await this.records.read([bodyId], manager))[0]);
      if (seatId) {
        const current = await this.records.seatCluster(manager, bodyId, seatId);
        if (current === undefined) throw new NotFoundError('seat', 'seatId');
        if (current) mustActForSeat(principal, current, 'seatId');
      }
      const seatCluster = dto.cluster ?? (await this.directory.companies([dto.companyId!], manager)).get(dto.companyId!)?.clusterCode;
      if (!seatCluster) throw new InvalidInputError('companyId', 'names no company');
      mustActForSeat(principal, seatCluster, dto.cluster ? 'cluster' : 'companyId');
      checkSeatHolders(dto, await this.directory.members([dto.delegateId, ...(dto.substituteId ? [dto.substituteId] : [])], manager));
      if (await this.bodies.labelTaken(manager, bodyId, dto.label, seatId))
        throw new ConflictError(`the body already has a seat labelled ${dto.label}`, 'label');
      if (seatId) await this.bodies.updateSeat(manager, seatId, dto);
      else await this.bodies.insertSeat(manager, bodyId, dto);
      return (await this.records.read([bodyId], manager))[0];
    });
  }
}
