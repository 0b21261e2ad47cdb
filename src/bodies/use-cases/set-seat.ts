import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors/domain-errors';
import { BodiesRepository, BodyRecord, MemberFacts } from '../bodies.repository';
import { mustActForSeat, mustSeeBody } from '../body-rights';
import { SeatDto } from '../dto/body.dto';

/**
 * Adds a seat to a body's roster (`seatId` null) or replaces one: its label, what it stands for (a
 * cluster or a company) and who holds it. The delegate and the substitute belong to what the seat
 * stands for, so a company's seat is never held by someone of another company.
 */
@Injectable()
export class SetSeat {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bodies: BodiesRepository,
  ) {}

  execute(principal: Principal | null, bodyId: string, seatId: string | null, dto: SeatDto): Promise<BodyRecord> {
    if (dto.cluster && dto.companyId) throw new InvalidInputError('companyId', 'must not be given with cluster: a seat is for a cluster or for a company');
    if (!dto.cluster && !dto.companyId) throw new InvalidInputError('cluster', 'or companyId must be given: a seat is for a cluster or for a company');
    if (dto.substituteId && dto.substituteId === dto.delegateId) throw new InvalidInputError('substituteId', 'must not be the delegate');
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.bodies.lock(manager, bodyId))) throw new NotFoundError('body');
      mustSeeBody(principal, (await this.bodies.read([bodyId], manager))[0]);
      if (seatId) {
        const current = await this.bodies.seatCluster(manager, bodyId, seatId);
        if (current === undefined) throw new NotFoundError('seat', 'seatId');
        if (current) mustActForSeat(principal, current, 'seatId');
      }
      const seatCluster = dto.cluster ?? (await this.bodies.companyCluster(manager, dto.companyId!));
      if (!seatCluster) throw new InvalidInputError('companyId', 'names no company');
      mustActForSeat(principal, seatCluster, dto.cluster ? 'cluster' : 'companyId');
      await this.checkHolders(manager, dto);
      if (await this.bodies.labelTaken(manager, bodyId, dto.label, seatId))
        throw new ConflictError(`the body already has a seat labelled ${dto.label}`, 'label');
      if (seatId) await this.bodies.updateSeat(manager, seatId, dto);
      else await this.bodies.insertSeat(manager, bodyId, dto);
      return (await this.bodies.read([bodyId], manager))[0];
    });
  }

  private async checkHolders(manager: EntityManager, dto: SeatDto): Promise<void> {
    const ids = [dto.delegateId, ...(dto.substituteId ? [dto.substituteId] : [])];
    const members = await this.bodies.members(manager, ids);
    const belongs = (member: MemberFacts) => (dto.companyId ? member.companyId === dto.companyId : member.clusterCode === dto.cluster);
    const what = dto.companyId ? "the seat's company" : `the ${dto.cluster} cluster`;
    for (const [field, id] of [['delegateId', dto.delegateId] as const, ['substituteId', dto.substituteId] as const]) {
      if (!id) continue;
      const member = members.get(id);
      if (!member) throw new InvalidInputError(field, 'names no member');
      if (!belongs(member)) throw new InvalidInputError(field, `must be a member of ${what}`);
    }
  }
}
