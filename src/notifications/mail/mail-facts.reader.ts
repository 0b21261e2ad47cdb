import { Inject, Injectable } from '@nestjs/common';
import { DirectoryService } from '../../directory/directory.service';
import { SeminarEvent } from '../../events/entities/event.entity';
import { EventsService } from '../../events/events.service';
import { CheckInCredential, Registrant, REGISTRATIONS_PORT, RegistrationsPort } from '../registrations.port';

/**
 * What a mail needs to know beyond its outbox row, read at send time from one place: the event as
 * it is now (a mail written before a change shows the change, and one for an event cancelled since
 * is not sent), the cluster names in the mail's language, and, for a mail about a registration,
 * its state and its door code. The composer asks only this reader; which module owns each fact is
 * this class's business.
 */
@Injectable()
export class MailFactsReader {
  constructor(
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    @Inject(REGISTRATIONS_PORT) private readonly registrations: RegistrationsPort,
  ) {}

  event(eventId: string): Promise<SeminarEvent> {
    return this.events.get(eventId, { organizer: true });
  }

  clusterNames(locale: 'ko' | 'en'): Promise<Map<string, string>> {
    return this.directory.clusterNames(locale);
  }

  registrationStatus(registrationId: string): Promise<Registrant['status'] | null> {
    return this.registrations.statusOf(registrationId);
  }

  checkInCredential(registrationId: string): Promise<CheckInCredential> {
    return this.registrations.checkInCredential(registrationId);
  }
}
