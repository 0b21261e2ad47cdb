import type { TemplateLocale } from '../../common/templates/template-renderer.service';
import type { LinkOutcome, LinkPreview } from '../registrations.service';

type InvalidReason = Extract<LinkPreview, { state: 'invalid' }>['reason'];

/** The short texts the link and event pages show; the page layout itself lives in templates/. */
export const PAGE_TEXTS: Record<
  TemplateLocale,
  {
    events: string;
    actionLabel: Record<'accept_invitation' | 'confirm_registration', string>;
    explanation: Record<'accept_invitation' | 'confirm_registration', string>;
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
    actionLabel: { accept_invitation: '참석하기', confirm_registration: '등록 확정하기' },
    explanation: {
      accept_invitation: '아래 버튼을 누르면 이 행사에 참석 등록이 완료되고, 캘린더 초대가 포함된 확인 메일이 발송됩니다.',
      confirm_registration: '아래 버튼을 누르면 등록이 확정되고, 캘린더 초대가 포함된 확인 메일이 발송됩니다.',
    },
    outcome: {
      confirmed: '등록이 완료되었습니다. 캘린더 초대(.ics)가 담긴 확인 메일을 보내 드렸습니다.',
      already_confirmed: '이미 등록이 완료된 행사입니다.',
      waitlisted: '정원이 모두 찼습니다. 대기자 명단에 등록되었으며, 자리가 나면 메일로 알려 드립니다.',
    },
    invalid: {
      unknown: '이 링크는 유효하지 않습니다. 메일의 링크를 그대로 열었는지 확인해 주세요.',
      expired: '이 링크는 만료되었습니다. 행사 페이지에서 다시 등록해 주세요.',
      event_closed: '이 행사는 등록이 마감되었습니다.',
      event_cancelled: '이 행사는 취소되었습니다.',
    },
    invalidTitle: '링크를 사용할 수 없습니다',
    registrationReceived: '등록 신청 접수',
    closed: '등록이 마감되었습니다.',
    cancelled: '이 행사는 취소되었습니다.',
  },
  en: {
    events: 'Events',
    actionLabel: { accept_invitation: 'Attend', confirm_registration: 'Confirm my registration' },
    explanation: {
      accept_invitation: 'Press the button to register for this event; a confirmation with the calendar invitation follows by email.',
      confirm_registration: 'Press the button to confirm your registration; a confirmation with the calendar invitation follows by email.',
    },
    outcome: {
      confirmed: 'You are registered. We have sent you a confirmation with the calendar invitation (.ics).',
      already_confirmed: 'You are already registered for this event.',
      waitlisted: 'The event is full. You are on the waiting list and will hear from us by email if a seat frees up.',
    },
    invalid: {
      unknown: 'This link is not valid. Please open the link exactly as it is in the email.',
      expired: 'This link has expired. Please register again on the event page.',
      event_closed: 'Registration for this event is closed.',
      event_cancelled: 'This event has been cancelled.',
    },
    invalidTitle: 'This link cannot be used',
    registrationReceived: 'Registration received',
    closed: 'Registration is closed.',
    cancelled: 'This event has been cancelled.',
  },
};
