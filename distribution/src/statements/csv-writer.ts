/** A buffered CSV file writer (RFC 4180 quoting, LF line ends) that respects stream back-pressure. */
import { createWriteStream, type WriteStream } from 'node:fs';

/** Quotes a field when it holds a comma, a quote or a line break. */
export function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes rows to a file through a 1 MB buffer. */
export class CsvWriter {
  private readonly out: WriteStream;
  private buf = '';

  /** Opens (truncates) `path` and writes the header row. */
  constructor(path: string, header: readonly string[]) {
    this.out = createWriteStream(path);
    this.buf = header.join(',') + '\n';
  }

  /** Appends one row; resolves at once unless the stream asks to wait. */
  async row(fields: readonly (string | number | undefined)[]): Promise<void> {
    this.buf += fields.map(csvField).join(',') + '\n';
    if (this.buf.length > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const b = this.buf;
    this.buf = '';
    if (!this.out.write(b)) await new Promise<void>((r) => this.out.once('drain', r));
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
