import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DirectoryService } from '../directory/directory.service';
import type { CheckInCredential, Registrant, RegistrationsPort } from '../notifications/registrations.port';
import { CheckInService } from './check-in/check-in.service';
import { RegistrationStatus } from './entities/registration.entity';
import { RegistrationsRepository } from './registrations.repository';

/**
 * The registrations module's answers to what notifications asks (RegistrationsPort): registrants
 * with their language, a registration's status, its door code. Also used inside this module by
 * the event-change notices.
 */
@Injectable()
export class RegistrantsReader implements RegistrationsPort {
  constructor(
    private readonly registrations: RegistrationsRepository,
    private readonly directory: DirectoryService,
    private readonly checkIn: CheckInService,
  ) {}

  /**
   * The registrations of an event in the given states, with the member's language where the
   * registration belongs to a member (Korean otherwise), on the caller's manager.
   */
  async registrantsOf(manager: EntityManager, eventId: string, statuses: RegistrationStatus[]): Promise<Registrant[]> {
    const registrations = await this.registrations.withStatus(manager, eventId, statuses);
    const locales = await this.directory.localesOf(
      registrations.flatMap((registration) => (registration.memberId ? [registration.memberId] : [])),
      manager,
    );
    return registrations.map((registration) => ({
      id: registration.id,
      email: registration.email,
      name: registration.name,
      memberId: registration.memberId,
      status: registration.status,
      locale: (registration.memberId && locales.get(registration.memberId)) === 'en' ? 'en' : 'ko',
    }));
  }

  statusOf(registrationId: string): Promise<RegistrationStatus | null> {
    return this.registrations.statusOf(registrationId);
  }

  checkInCredential(registrationId: string): Promise<CheckInCredential> {
    return this.checkIn.credentialFor(registrationId);
  }
}
