import type { TemplateLocale } from '../../common/templates/template-renderer.service';
import type { LinkAction, LinkOutcome, LinkPreview } from '../use-cases/link-steps';

type InvalidReason = Extract<LinkPreview, { state: 'invalid' }>['reason'];

/** The short texts the link and event pages show; the page layout itself lives in templates/. */
export const PAGE_TEXTS: Record<
  TemplateLocale,
  {
    events: string;
    actionLabel: Record<LinkAction, string>;
    explanation: Record<'accept_invitation' | 'confirm_registration', string>;
    manage: { confirmed: string; waitlisted: (position: number) => string; pending: string; leaveWaitlist: string };
    positionNote: (position: number) => string;
    opensAt: (when: string) => string;
    closedAt: (when: string) => string;
    outcome: Record<LinkOutcome, string>;
    invalid: Record<InvalidReason, string>;
    invalidTitle: string;
    registrationReceived: string;
    closed: string;
    cancelled: string;
  }
> = {
  ko: {
    events: '행사 목록',
    actionLabel: { accept_invitation: '참석하기', confirm_registration: '등록 확정하기', manage_registration: '등록 취소하기' },
    manage: {
      confirmed: '등록이 확정되어 있습니다. 참석할 수 없게 되면 아래 버튼으로 등록을 취소해 주세요. 자리는 대기자에게 넘어갑니다.',
      waitlisted: (position) => `대기자 명단 ${position}번째입니다. 자리가 나면 메일로 알려 드립니다. 더 기다리지 않으려면 아래 버튼을 누르세요.`,
      pending: '등록 확인을 기다리고 있습니다. 아래 버튼으로 신청을 취소할 수 있습니다.',
      leaveWaitlist: '대기자 명단에서 나가기',
    },
    positionNote: (position) => `현재 대기 순번은 ${position}번입니다.`,
    opensAt: (when) => `등록은 ${when}에 시작됩니다.`,
    closedAt: (when) => `등록이 ${when}에 마감되었습니다.`,
    explanation: {
      accept_invitation: '아래 버튼을 누르면 이 행사에 참석 등록이 완료되고, 캘린더 초대가 포함된 확인 메일이 발송됩니다.',
      confirm_registration: '아래 버튼을 누르면 등록이 확정되고, 캘린더 초대가 포함된 확인 메일이 발송됩니다.',
    },
    outcome: {
      confirmed: '등록이 완료되었습니다. 캘린더 초대(.ics)가 담긴 확인 메일을 보내 드렸습니다.',
      already_confirmed: '이미 등록이 완료된 행사입니다.',
      waitlisted: '정원이 모두 찼습니다. 대기자 명단에 등록되었으며, 자리가 나면 메일로 알려 드립니다.',
      already_waitlisted: '이미 대기자 명단에 있습니다. 자리가 나면 메일로 알려 드립니다.',
      cancelled: '등록이 취소되었습니다. 캘린더에서 일정을 지우는 취소 메일을 보내 드렸습니다.',
    },
    invalid: {
      unknown: '이 링크는 유효하지 않습니다. 메일의 링크를 그대로 열었는지 확인해 주세요.',
      expired: '이 링크는 만료되었습니다. 행사 페이지에서 다시 등록해 주세요.',
      event_closed: '이 행사는 등록이 마감되었습니다.',
      event_cancelled: '이 행사는 취소되었습니다.',
      not_yet_open: '아직 등록 기간이 아닙니다.',
    },
    invalidTitle: '링크를 사용할 수 없습니다',
    registrationReceived: '등록 신청 접수',
    closed: '등록이 마감되었습니다.',
    cancelled: '이 행사는 취소되었습니다.',
  },
  en: {
    events: 'Events',
    actionLabel: { accept_invitation: 'Attend', confirm_registration: 'Confirm my registration', manage_registration: 'Cancel my registration' },
    manage: {
      confirmed: 'Your registration is confirmed. If you cannot come, cancel it with the button below: your seat goes to the waiting list.',
      waitlisted: (position) => `You are number ${position} on the waiting list; we will email you if a seat frees up. Press the button to stop waiting.`,
      pending: 'Your registration waits for confirmation. You can withdraw it with the button below.',
      leaveWaitlist: 'Leave the waiting list',
    },
    positionNote: (position) => `You are number ${position} on the list.`,
    opensAt: (when) => `Registration opens on ${when}.`,
    closedAt: (when) => `Registration closed on ${when}.`,
    explanation: {
      accept_invitation: 'Press the button to register for this event; a confirmation with the calendar invitation follows by email.',
      confirm_registration: 'Press the button to confirm your registration; a confirmation with the calendar invitation follows by email.',
    },
    outcome: {
      confirmed: 'You are registered. We have sent you a confirmation with the calendar invitation (.ics).',
      already_confirmed: 'You are already registered for this event.',
      waitlisted: 'The event is full. You are on the waiting list and will hear from us by email if a seat frees up.',
      already_waitlisted: 'You are already on the waiting list; we will email you if a seat frees up.',
      cancelled: 'Your registration is cancelled. We have sent a cancellation that removes the event from your calendar.',
    },
    invalid: {
      unknown: 'This link is not valid. Please open the link exactly as it is in the email.',
      expired: 'This link has expired. Please register again on the event page.',
      event_closed: 'Registration for this event is closed.',
      event_cancelled: 'This event has been cancelled.',
      not_yet_open: 'Registration has not opened yet.',
    },
    invalidTitle: 'This link cannot be used',
    registrationReceived: 'Registration received',
    closed: 'Registration is closed.',
    cancelled: 'This event has been cancelled.',
  },
};
