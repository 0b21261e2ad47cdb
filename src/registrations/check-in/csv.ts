/**
 * CSV for spreadsheets (RFC 4180): CRLF line ends, a cell quoted when it holds a comma, quote or
 * line break. A cell that a spreadsheet would read as a formula (it starts with = + - @, or a tab
 * or carriage return that Excel skips before one) gets a leading single quote, so an attendee
 * called "=HYPERLINK(...)" is shown as text and never run (OWASP "CSV injection").
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** UTF-8 byte order mark: without it Excel opens a UTF-8 file as the local code page and garbles Korean names. */
export const UTF8_BOM = '\uFEFF';
