import { DateTime } from 'luxon';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { EventForm, isBlankRow } from './event-form';

// The form's way to the events API and back: the typed form as the API's body, and the API's
// field names (in a 400) as the form's fields, so an error is shown next to what was typed.

/** The form's fields an error can sit next to; `agenda.<row>.<column>` for a row of the programme. */
export type FormErrors = Map<string, string>;

/**
 * The form as the events API's body (CreateEventDto / UpdateEventDto), so it is checked by the same
 * rules: wall-clock date and time in the chosen zone become instants with their offset. A value
 * that cannot even be read (a date that is no date) is an error of its own field here. On an edit
 * (`clearing`), a blank optional field is null: the API's way to clear it. `agendaRows` maps the
 * body's `agenda[i]` to the form's row (blank rows are left out).
 */
export function eventInputOf(form: EventForm, clearing: boolean): { input: Record<string, unknown>; errors: FormErrors; agendaRows: number[] } {
  const errors: FormErrors = new Map();
  const zoneOk = DateTime.now().setZone(form.timezone).isValid;
  if (!zoneOk) errors.set('timezone', 'timezone');
  const instant = (date: string, time: string, field: string): string | null | undefined => {
    if (date === '' && time === '') return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) {
      errors.set(field, field);
      return null;
    }
    if (!zoneOk) return null;
    const at = DateTime.fromISO(`${date}T${time}`, { zone: form.timezone });
    if (!at.isValid) {
      errors.set(field, field);
      return null;
    }
    return at.toISO({ suppressMilliseconds: true });
  };
  const blank = clearing ? null : undefined;
  const optionalText = (value: string) => (value.trim() === '' ? blank : value.trim());
  const input: Record<string, unknown> = {
    title: form.title,
    type: form.type,
    timezone: form.timezone,
    hostClusters: [...new Set([form.host, ...form.coHosts].filter((code) => code !== ''))],
    audienceClusters: form.audience,
    reminderOffsetsMinutes: form.reminders.map(Number),
  };
  const description = form.description.replace(/\r\n/g, '\n');
  input.description = description.trim() === '' ? blank : description;
  input.venue = optionalText(form.venue);
  input.onlineUrl = optionalText(form.onlineUrl);
  // Required: left blank, the DTO's own check names startsAt / endsAt.
  input.startsAt = instant(form.date, form.startTime, 'startTime') ?? undefined;
  input.endsAt = instant(form.endDate || form.date, form.endTime, 'endTime') ?? undefined;
  for (const [field, date, time, key] of [
    ['registrationOpensAt', form.opensDate, form.opensTime, 'opens'],
    ['registrationClosesAt', form.closesDate, form.closesTime, 'closes'],
    ['quotaReleaseAt', form.quotaReleaseDate, form.quotaReleaseTime, 'quotaRelease'],
  ] as const) {
    const at = instant(date, time, key);
    input[field] = at === undefined ? blank : (at ?? undefined);
  }
  if (form.capacity === '') input.capacity = blank;
  else if (/^\d+$/.test(form.capacity)) input.capacity = Number(form.capacity);
  else errors.set('capacity', 'capacity');
  const quotas: { cluster: string; seats: number }[] = [];
  for (const code of CLUSTER_CODES) {
    const seats = form.quotas[code] ?? '';
    if (seats === '') continue;
    if (/^\d+$/.test(seats)) quotas.push({ cluster: code, seats: Number(seats) });
    else errors.set('quotas', 'quotas');
  }
  input.quotas = quotas.length > 0 ? quotas : clearing ? [] : undefined;
  const agendaRows: number[] = [];
  const agenda: Record<string, string | null>[] = [];
  form.agenda.forEach((row, index) => {
    if (isBlankRow(row)) return;
    const day = row.date || form.date;
    const at = (time: string, column: string) => {
      if (time === '') return null;
      if (!/^\d{2}:\d{2}$/.test(time) || !zoneOk || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
        errors.set(`agenda.${index}.${column}`, `agenda.${column}`);
        return null;
      }
      return DateTime.fromISO(`${day}T${time}`, { zone: form.timezone }).toISO({ suppressMilliseconds: true });
    };
    agendaRows.push(index);
    agenda.push({ startsAt: at(row.start, 'start'), endsAt: at(row.end, 'end'), title: row.title, speaker: row.speaker, affiliation: row.affiliation });
  });
  input.agenda = agenda.length > 0 ? agenda : clearing ? [] : undefined;
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return { input, errors, agendaRows };
}

/** Where the API's field (a DTO property, or `agenda[2].startsAt` of a domain error) sits on the form. */
export function formFieldOf(apiField: string, agendaRows: readonly number[]): string {
  const row = /^agenda\[(\d+)\]\.?(\w*)$/.exec(apiField);
  if (row) {
    const column = { startsAt: 'start', endsAt: 'end', title: 'title', speaker: 'speaker', affiliation: 'affiliation' }[row[2]] ?? 'title';
    return `agenda.${agendaRows[Number(row[1])] ?? 0}.${column}`;
  }
  const fields: Record<string, string> = {
    startsAt: 'startTime',
    endsAt: 'endTime',
    registrationOpensAt: 'opens',
    registrationClosesAt: 'closes',
    quotaReleaseAt: 'quotaRelease',
    hostClusters: 'host',
    audienceClusters: 'audience',
    reminderOffsetsMinutes: 'reminders',
  };
  return fields[apiField] ?? apiField;
}
