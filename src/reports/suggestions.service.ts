import { Injectable } from '@nestjs/common';
import { StringTable } from '../common/templates/string-table';
import { EventsService } from '../events/events.service';
import { SuggestionView } from './report.dto';
import { KeywordMatch, SuggestionsReader } from './suggestions.reader';

const DEFAULT_LIMIT = 100;

/** Suggested invitees of an event, each with the reasons for its rank in words an organizer reads. */
@Injectable()
export class SuggestionsService {
  constructor(
    private readonly reader: SuggestionsReader,
    private readonly events: EventsService,
  ) {}

  /** `strings`: the language the reasons are written in (the reader's; the data is in `matches` too). */
  async suggest(eventId: string, strings: StringTable, limit = DEFAULT_LIMIT): Promise<SuggestionView[]> {
    // 404 for an unknown event rather than an empty list that looks like "nobody matches".
    await this.events.get(eventId, { organizer: true });
    const rows = await this.reader.suggest(eventId, limit);
    return rows.map((row) => ({ ...row, reasons: row.matches.map((match) => reasonOf(match, strings)) }));
  }
}

/** One match as a sentence in the reader's language: where the keyword came from, the event keyword it resembles, how closely. */
export function reasonOf(match: KeywordMatch, strings: StringTable): string {
  const values = { keyword: match.keyword, sig: match.sig, eventKeyword: match.eventKeyword, similarity: Number(match.similarity).toFixed(2) };
  return strings.text(match.source === 'company' ? 'suggestions.companyReason' : 'suggestions.sigReason', values);
}
