/** CSV as RFC 4180 describes it: a header row, CRLF line ends, fields quoted when they need it. */

/** A cell value: text, or nothing (an empty field). */
export type CsvCell = string | number | boolean | null | undefined;

/** One field, quoted (with doubled quotes) when it holds a comma, a quote, CR or LF. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, ending in CRLF. */
export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The media type of the CSV downloads (UTF-8, with a header row). */
export const CSV_TYPE = 'text/csv; charset=utf-8; header=present';
