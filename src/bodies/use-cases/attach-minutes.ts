import { Injectable, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actsFor, Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { ConflictError, DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { EventsService } from '../../events/events.service';
import { BodiesRepository } from '../bodies.repository';
import { BodyRecords } from '../body-records';
import { mustSeeBody } from '../body-rights';
import { MinutesDto, MINUTES_FILE_MAX_BYTES } from '../dto/body.dto';
import { MinutesView } from '../dto/body.view';

/** Attaches the minutes (text, optional file) to a meeting that has begun; posting again replaces them. */
@Injectable()
export class AttachMinutes {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bodies: BodiesRepository,
    private readonly records: BodyRecords,
    private readonly events: EventsService,
    private readonly clock: Clock,
  ) {}

  async execute(principal: Principal | null, bodyId: string, eventId: string, dto: MinutesDto): Promise<MinutesView> {
    const content = dto.file ? Buffer.from(dto.file.contentBase64, 'base64') : null;
    if (content && content.length > MINUTES_FILE_MAX_BYTES) throw new PayloadTooLargeException([`file must be at most ${MINUTES_FILE_MAX_BYTES} bytes`]);
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.bodies.lock(manager, bodyId))) throw new NotFoundError('body');
      mustSeeBody(principal, (await this.records.read([bodyId], manager))[0]);
      if (!(await this.bodies.isMeeting(manager, bodyId, eventId))) throw new NotFoundError('meeting of this body', 'eventId');
      const event = await this.events.get(eventId, { organizer: true }, manager);
      if (
        !actsFor(
          principal,
          (event.clusters ?? []).filter((link) => link.role === 'host').map((link) => link.clusterCode),
        )
      ) {
        throw new DomainError('forbidden', 'eventId names an event not hosted by one of your clusters', 'eventId');
      }
      if (event.status === 'cancelled') throw new ConflictError('eventId names a cancelled meeting', 'eventId');
      if (event.startsAt > this.clock.now())
        throw new ConflictError(`eventId: minutes attach to a meeting that has begun (this one starts ${event.startsAt.toISOString()})`, 'eventId');
      await this.bodies.saveMinutes(
        manager,
        bodyId,
        eventId,
        dto.text,
        dto.file && content ? { name: dto.file.name, type: dto.file.contentType, content } : null,
      );
      return (await this.bodies.minutes(bodyId, eventId, manager))!;
    });
  }
}
