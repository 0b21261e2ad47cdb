import { SeminarEvent } from './entities/event.entity';

/** Reserved cluster seats return to the open pool this long before the start unless the event says otherwise. */
export const DEFAULT_QUOTA_RELEASE_BEFORE_MS = 48 * 3600_000;

export function quotaReleaseTime(event: Pick<SeminarEvent, 'quotaReleaseAt' | 'startsAt'>): Date {
  return event.quotaReleaseAt ?? new Date(event.startsAt.getTime() - DEFAULT_QUOTA_RELEASE_BEFORE_MS);
}

export function quotasReleased(event: Pick<SeminarEvent, 'quotaReleaseAt' | 'startsAt' | 'quotaReleased'>, now = new Date()): boolean {
  return event.quotaReleased || quotaReleaseTime(event) <= now;
}

export type RegistrationWindow = { open: true } | { open: false; reason: 'not_published' | 'cancelled' | 'not_yet_open' | 'closed'; at?: Date };

/** Whether people may register (or confirm) now: published, not over, inside registrationOpensAt..registrationClosesAt. */
export function registrationWindow(event: SeminarEvent, now = new Date()): RegistrationWindow {
  if (event.status === 'cancelled') return { open: false, reason: 'cancelled' };
  if (event.status !== 'published') return { open: false, reason: 'not_published' };
  if (event.registrationOpensAt && now < event.registrationOpensAt) return { open: false, reason: 'not_yet_open', at: event.registrationOpensAt };
  const closesAt = event.registrationClosesAt ?? event.endsAt;
  if (now >= closesAt) return { open: false, reason: 'closed', at: closesAt };
  return { open: true };
}
