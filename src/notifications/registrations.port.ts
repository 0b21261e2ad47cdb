import type { EntityManager } from 'typeorm';

/** A registrant as the notices need them: where to write, in which language, and in which state. */
export interface Registrant {
  id: string;
  email: string;
  name: string;
  memberId: string | null;
  status: 'pending_confirmation' | 'confirmed' | 'waitlisted' | 'cancelled';
  locale: 'ko' | 'en';
}

/** What a confirmation mail carries for the door: the code as people read it and the same text as a QR code. */
export interface CheckInCredential {
  code: string;
  qrPng: Buffer;
}

/**
 * What the notifications module must know about registrations: who is registered for an event
 * (reminders), the state of the registration a mail is about (a reminder to someone who cancelled
 * since is skipped) and the door code a confirmation carries. The registrations module sits above
 * notifications (it writes outbox rows), so notifications cannot import it: it declares what it
 * needs here, and the registrations module provides it (RegistrationsForNotifications), wired by
 * AppModule through MailWorkerModule.with and ReminderWorkerModule.with.
 */
export interface RegistrationsPort {
  /** The registrations of an event in the given states, oldest first, read on the caller's manager (inside its transaction). */
  registrantsOf(manager: EntityManager, eventId: string, statuses: Registrant['status'][]): Promise<Registrant[]>;
  /** The registration's status now, or null when it is gone. */
  statusOf(registrationId: string): Promise<Registrant['status'] | null>;
  /** The registration's door code (made on first use, then always the same) and its QR image. */
  checkInCredential(registrationId: string): Promise<CheckInCredential>;
}

export const REGISTRATIONS_PORT = Symbol('RegistrationsPort');
