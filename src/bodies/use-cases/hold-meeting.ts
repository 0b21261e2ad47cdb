import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actsFor, Principal } from '../../auth/principal';
import { DomainError, InvalidInputError, NotFoundError } from '../../common/errors/domain-errors';
import { EventsService } from '../../events/events.service';
import { SendInvitations } from '../../registrations/use-cases/send-invitations';
import { BodiesRepository } from '../bodies.repository';
import { BodyRecords } from '../body-records';
import { mustSeeBody } from '../body-rights';

/**
 * Makes an event a meeting of the body and invites the roster's delegates through the ordinary
 * invitation pipeline, in one transaction: an event that cannot take invitations (a draft, one
 * that is over) is refused and leaves no meeting behind. Substitutes are invited only when their
 * delegate declines (from the invitation page). Linking the same event again invites only
 * delegates not invited yet.
 */
@Injectable()
export class HoldMeeting {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bodies: BodiesRepository,
    private readonly records: BodyRecords,
    private readonly events: EventsService,
    private readonly invitations: SendInvitations,
  ) {}

  async execute(principal: Principal | null, bodyId: string, eventId: string): Promise<number> {
    const hosts = await this.events.hostsOf(eventId);
    if (hosts === null) throw new InvalidInputError('eventId', 'names no event');
    if (!actsFor(principal, hosts)) throw new DomainError('forbidden', 'eventId names an event not hosted by one of your clusters', 'eventId');
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.bodies.lock(manager, bodyId))) throw new NotFoundError('body');
      mustSeeBody(principal, (await this.records.read([bodyId], manager))[0]);
      await this.bodies.addMeeting(manager, bodyId, eventId);
      const delegates = await this.bodies.delegates(manager, bodyId);
      return this.invitations.within(manager, eventId, { clusters: [], memberIds: delegates });
    });
  }
}
