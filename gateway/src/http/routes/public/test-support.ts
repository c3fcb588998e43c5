/** Helpers shared by the public router's tests. */
import { expect } from 'vitest';

/** The error body of a failed call. */
export interface ErrorJson {
  error: { code: string; message: string; details: { field?: string } };
}

/** Asserts an error status, code and (optionally) field; returns the body. */
export async function expectError(res: Response, status: number, code: string, field?: string): Promise<ErrorJson> {
  const text = await res.text();
  const body = (text.startsWith('{') ? JSON.parse(text) : { error: { code: `(no error body: ${text.slice(0, 80)})`, details: {} } }) as ErrorJson;
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  if (field !== undefined) expect(body.error.details.field).toBe(field);
  return body;
}

/** Reads a JSON body as `T`, asserting status 200 first. */
export async function ok<T>(res: Response): Promise<T> {
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Follows `nextCursor` through every page of a list. */
export async function allPages<T>(get: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await get(cursor);
    pages++;
    items.push(...page.items);
    if (page.nextCursor === null) return { items, pages };
    cursor = page.nextCursor;
    if (pages > 1000) throw new Error('pagination does not end');
  }
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF records) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (ch === '\n') throw new Error(`bare LF at ${i}: records must end in CRLF`);
    else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('last record does not end in CRLF');
  return rows;
}
