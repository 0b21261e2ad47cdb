import type { SeminarEvent } from '../events/entities/event.entity';
import type { OutboxEntry } from '../notifications/outbox/outbox.service';
import type { Registration } from './entities/registration.entity';

export type Locale = 'ko' | 'en';

type RegistrationMailKind = 'registration_confirmed' | 'waitlist_promoted' | 'registration_waitlisted' | 'registration_cancelled';

/** The dedupe keys' prefixes as they have always been written (the waiting-list mail's is shorter). */
const DEDUPE_PREFIX: Record<RegistrationMailKind, string> = {
  registration_confirmed: 'registration_confirmed',
  waitlist_promoted: 'waitlist_promoted',
  registration_waitlisted: 'waitlisted',
  registration_cancelled: 'registration_cancelled',
};

/**
 * The outbox entry of a mail about one registration (confirmed, promoted, waitlisted, cancelled).
 * The dedupe key carries the time, so each change of the registration mails once more; the
 * payload's registrationStatus gives the calendar part its PARTSTAT.
 */
export function registrationMail(
  event: Pick<SeminarEvent, 'id'>,
  registration: Pick<Registration, 'id' | 'memberId' | 'email' | 'name'>,
  kind: RegistrationMailKind,
  locale: Locale,
  payload: Record<string, unknown> = {},
): OutboxEntry {
  return {
    kind,
    dedupeKey: `${DEDUPE_PREFIX[kind]}:${registration.id}:${Date.now()}`,
    eventId: event.id,
    registrationId: registration.id,
    memberId: registration.memberId,
    recipient: registration.email,
    recipientName: registration.name,
    locale,
    payload: { ...payload, registrationStatus: kind === 'registration_waitlisted' ? 'waitlisted' : 'confirmed' },
  };
}
