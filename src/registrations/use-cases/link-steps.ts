import type { SeminarEvent } from '../../events/entities/event.entity';
import type { RegistrationWindow } from '../../events/event-rules';
import type { LinkTokenPurpose } from '../../link-tokens/link-token.entity';
import type { RegistrationStatus } from '../entities/registration.entity';
import type { Locale } from '../registration-mail';
import type { ConsentChoices } from '../consents/consent-notice';

export type LinkAction = 'accept_invitation' | 'confirm_registration' | 'manage_registration';
export type LinkOutcome = 'confirmed' | 'already_confirmed' | 'waitlisted' | 'already_waitlisted' | 'cancelled' | 'erased' | 'declined';
export type ClosedReason = 'event_closed' | 'event_cancelled' | 'not_yet_open';

export interface RegistrationStatusView {
  status: RegistrationStatus;
  /** 1-based place on the waiting list, when waitlisted. */
  position: number | null;
}

/** What an emailed link leads to, as the GET page shows it (nothing changed yet), or what the POST did. */
export type LinkPreview =
  | { state: 'invalid'; reason: 'unknown' | 'expired' | ClosedReason; at?: Date; timeZone?: string }
  | {
      state: 'ready';
      action: LinkAction;
      event: SeminarEvent;
      locale: Locale;
      registration: RegistrationStatusView | null;
      /** The registration has no consent to collection yet: the page shows the notice and its checkboxes. */
      consentNeeded?: boolean;
      /** The POST came from the notice without the required box ticked: refused, with what was ticked. */
      consentMissing?: ConsentChoices;
      /** The invited member is a delegate of a standing body meeting at this event: the page also offers to decline (their substitute is invited). */
      declinable?: boolean;
    }
  | {
      state: 'done';
      outcome: LinkOutcome;
      event: SeminarEvent;
      locale: Locale;
      registration: RegistrationStatusView | null;
      /** A cancelled registration whose person is still on it: the manage page offers to erase them. */
      erasable?: boolean;
    };

/** The purposes of the links this state machine answers; a check-in or unsubscribe token opens nothing here. */
export const LINK_PURPOSES: readonly LinkTokenPurpose[] = ['accept_invitation', 'confirm_registration', 'manage_registration'];

/**
 * The next step of an emailed link, from its purpose, the registration it speaks for (if any) and
 * the event's registration window. The GET page shows the step; the POST takes it.
 * - manage: cancel the registration while it holds something, else it is already cancelled;
 * - accept or confirm: nothing to do for someone already confirmed or waiting; refused outside the
 *   registration window; otherwise register (a seat or the waiting list).
 */
export type LinkStep =
  | { step: 'manage'; active: boolean }
  | { step: 'already'; outcome: 'already_confirmed' | 'already_waitlisted' }
  | { step: 'closed'; preview: Extract<LinkPreview, { state: 'invalid' }> }
  | { step: 'register'; action: 'accept_invitation' | 'confirm_registration' };

export function linkStep(purpose: LinkTokenPurpose, registration: { status: RegistrationStatus } | null, window: RegistrationWindow): LinkStep {
  if (purpose === 'manage_registration') return { step: 'manage', active: registration !== null && registration.status !== 'cancelled' };
  if (registration?.status === 'confirmed') return { step: 'already', outcome: 'already_confirmed' };
  if (registration?.status === 'waitlisted') return { step: 'already', outcome: 'already_waitlisted' };
  if (!window.open) return { step: 'closed', preview: closedPreview(window) };
  return { step: 'register', action: purpose as 'accept_invitation' | 'confirm_registration' };
}

function closedPreview(window: Exclude<RegistrationWindow, { open: true }>): Extract<LinkPreview, { state: 'invalid' }> {
  if (window.reason === 'cancelled') return { state: 'invalid', reason: 'event_cancelled' };
  if (window.reason === 'not_yet_open') return { state: 'invalid', reason: 'not_yet_open', at: window.at };
  return { state: 'invalid', reason: 'event_closed', at: window.at };
}
