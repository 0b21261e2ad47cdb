import { DateTime } from 'luxon';
import type { Principal } from '../../auth/principal';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { clusterCodes } from '../../events/dto/event.view';
import type { SeminarEvent } from '../../events/entities/event.entity';
import { DEFAULT_REMINDER_OFFSETS_MINUTES } from '../../events/use-cases/event-fields';
import { list, text } from '../form-input';

/** One row of the 프로그램 table: times of day on the event's date, or on the row's own date (a multi-day event's later days). */
export interface AgendaRowForm {
  date: string;
  start: string;
  end: string;
  title: string;
  speaker: string;
  affiliation: string;
}

/** The 행사 만들기 / 수정 form as typed (strings, so a wrong value is shown back as it was typed). */
export interface EventForm {
  title: string;
  type: string;
  description: string;
  date: string;
  startTime: string;
  endDate: string;
  endTime: string;
  timezone: string;
  venue: string;
  onlineUrl: string;
  host: string;
  coHosts: string[];
  audience: string[];
  capacity: string;
  quotas: Record<string, string>;
  quotaReleaseDate: string;
  quotaReleaseTime: string;
  opensDate: string;
  opensTime: string;
  closesDate: string;
  closesTime: string;
  reminders: string[];
  agenda: AgendaRowForm[];
}

/** Blank agenda rows a form offers; "행 추가" adds one more (no JavaScript needed). */
export const BLANK_AGENDA_ROWS = 2;
export const REMINDER_CHOICES = [10080, 1440, 60] as const;
export const DEFAULT_TIMEZONE = 'Asia/Seoul';

const blankRow = (): AgendaRowForm => ({ date: '', start: '', end: '', title: '', speaker: '', affiliation: '' });
/** A programme row with nothing typed in it: left out of the API's body. */
export const isBlankRow = (row: AgendaRowForm) => [row.date, row.start, row.end, row.title, row.speaker, row.affiliation].every((value) => value.trim() === '');

/** A new event's form: the organizer's own cluster as host, all four as audience, the default reminders. */
export function newEventForm(principal: Principal | null): EventForm {
  return {
    title: '',
    type: 'seminar',
    description: '',
    date: '',
    startTime: '',
    endDate: '',
    endTime: '',
    timezone: DEFAULT_TIMEZONE,
    venue: '',
    onlineUrl: '',
    host: principal?.clusters[0] ?? CLUSTER_CODES[0],
    coHosts: [],
    audience: [...CLUSTER_CODES],
    capacity: '',
    quotas: {},
    quotaReleaseDate: '',
    quotaReleaseTime: '',
    opensDate: '',
    opensTime: '',
    closesDate: '',
    closesTime: '',
    reminders: DEFAULT_REMINDER_OFFSETS_MINUTES.map(String),
    agenda: withBlankRows([]),
  };
}

/** The form of a stored event, its times as wall-clock in the event's zone. */
export function eventFormOf(event: SeminarEvent, principal: Principal | null): EventForm {
  const zone = event.timezone;
  const date = (instant: Date | null) => (instant ? DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd') : '');
  const time = (instant: Date | null) => (instant ? DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm') : '');
  const hosts = clusterCodes(event, 'host');
  const host = hosts.find((code) => principal?.role === 'admin' || (principal?.clusters as string[] | undefined)?.includes(code)) ?? hosts[0];
  const endDate = date(event.endsAt);
  return {
    title: event.title,
    type: event.type,
    description: event.description ?? '',
    date: date(event.startsAt),
    startTime: time(event.startsAt),
    endDate: endDate === date(event.startsAt) ? '' : endDate,
    endTime: time(event.endsAt),
    timezone: zone,
    venue: event.venue ?? '',
    onlineUrl: event.onlineUrl ?? '',
    host,
    coHosts: hosts.filter((code) => code !== host),
    audience: clusterCodes(event, 'audience'),
    capacity: event.capacity === null ? '' : String(event.capacity),
    quotas: Object.fromEntries((event.quotas ?? []).map((quota) => [quota.clusterCode, String(quota.seats)])),
    quotaReleaseDate: date(event.quotaReleaseAt),
    quotaReleaseTime: time(event.quotaReleaseAt),
    opensDate: date(event.registrationOpensAt),
    opensTime: time(event.registrationOpensAt),
    closesDate: date(event.registrationClosesAt),
    closesTime: time(event.registrationClosesAt),
    reminders: event.reminderOffsetsMinutes.map(String),
    agenda: withBlankRows(
      (event.agenda ?? []).map((item) => ({
        date: date(new Date(item.startsAt)) === date(event.startsAt) ? '' : date(new Date(item.startsAt)),
        start: time(new Date(item.startsAt)),
        end: item.endsAt ? time(new Date(item.endsAt)) : '',
        title: item.title,
        speaker: item.speaker ?? '',
        affiliation: item.affiliation ?? '',
      })),
    ),
  };
}

/** The form as posted; the row buttons (행 추가, 삭제) change the rows, nothing else. */
export function readEventForm(fields: Record<string, string | string[]>): { form: EventForm; rowAction: 'add' | number | null } {
  const column = (name: string) => list(fields, name);
  const starts = column('agendaStart');
  const rows: AgendaRowForm[] = starts.map((start, index) => ({
    date: (column('agendaDate')[index] ?? '').trim(),
    start,
    end: column('agendaEnd')[index] ?? '',
    title: column('agendaTitle')[index] ?? '',
    speaker: column('agendaSpeaker')[index] ?? '',
    affiliation: column('agendaAffiliation')[index] ?? '',
  }));
  const form: EventForm = {
    title: text(fields, 'title'),
    type: text(fields, 'type'),
    description: text(fields, 'description'),
    date: text(fields, 'date').trim(),
    startTime: text(fields, 'startTime').trim(),
    endDate: text(fields, 'endDate').trim(),
    endTime: text(fields, 'endTime').trim(),
    timezone: text(fields, 'timezone').trim() || DEFAULT_TIMEZONE,
    venue: text(fields, 'venue'),
    onlineUrl: text(fields, 'onlineUrl'),
    host: text(fields, 'host'),
    coHosts: column('coHosts'),
    audience: column('audience'),
    capacity: text(fields, 'capacity').trim(),
    quotas: Object.fromEntries(CLUSTER_CODES.map((code) => [code, text(fields, `quota_${code}`).trim()])),
    quotaReleaseDate: text(fields, 'quotaReleaseDate').trim(),
    quotaReleaseTime: text(fields, 'quotaReleaseTime').trim(),
    opensDate: text(fields, 'opensDate').trim(),
    opensTime: text(fields, 'opensTime').trim(),
    closesDate: text(fields, 'closesDate').trim(),
    closesTime: text(fields, 'closesTime').trim(),
    reminders: column('reminders'),
    agenda: rows,
  };
  const remove = text(fields, 'removeRow');
  if (text(fields, 'action') === 'addRow') {
    form.agenda.push(blankRow());
    return { form, rowAction: 'add' };
  }
  if (/^\d+$/.test(remove) && Number(remove) < form.agenda.length) {
    form.agenda.splice(Number(remove), 1);
    form.agenda = withBlankRows(form.agenda.filter((row) => !isBlankRow(row)));
    return { form, rowAction: Number(remove) };
  }
  return { form, rowAction: null };
}

function withBlankRows(rows: AgendaRowForm[]): AgendaRowForm[] {
  return [...rows, ...Array.from({ length: BLANK_AGENDA_ROWS }, blankRow)];
}
