/**
 * Stable error codes of the ledger. A chaincode error crosses the peer boundary only as a message
 * string, so `LedgerError` serialises itself as JSON `{code,message,details}` in that string and
 * `parseLedgerError` restores it on the other side. Callers branch on `code`, never on text.
 */

/** Every code the ledger can raise. */
export const ERROR_CODES = [
  'VALIDATION.INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'ACCESS.DENIED',
  'LEDGER.UNBALANCED',
  'LEDGER.IDEMPOTENCY_CONFLICT',
  'LEDGER.INSUFFICIENT_FUNDS',
  'LEDGER.NOT_CONSERVED',
  'LEDGER.ALREADY_REVERSED',
  'LEDGER.INVALID_STATE',
  'LEDGER.MVCC_CONFLICT',
  'LEDGER.ENDORSEMENT_FAILED',
  'LEDGER.UNAVAILABLE',
  'LEDGER.UNKNOWN_FUNCTION',
  'SHARES.OVER_100',
  'INTERNAL',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error with a stable code and structured details (e.g. `{ field: 'amount' }`). */
export class LedgerError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(JSON.stringify({ code, message, details }));
    this.name = 'LedgerError';
    this.code = code;
    this.details = details;
  }

  /** The human-readable message without the JSON envelope. */
  get text(): string {
    return (JSON.parse(this.message) as { message: string }).message;
  }
}

const codeSet: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * Restores a `LedgerError` from a message that carries the JSON envelope somewhere inside it
 * (peers wrap chaincode messages, e.g. `chaincode response 500, {...}`). Returns undefined when
 * the message carries none.
 */
export function parseLedgerError(message: string): LedgerError | undefined {
  const start = message.indexOf('{"code":');
  if (start < 0) return undefined;
  // The envelope is the last JSON object in the message; scan for the matching brace.
  let depth = 0;
  let inString = false;
  for (let i = start; i < message.length; i++) {
    const ch = message[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      try {
        const parsed = JSON.parse(message.slice(start, i + 1)) as { code?: unknown; message?: unknown; details?: unknown };
        if (typeof parsed.code !== 'string' || !codeSet.has(parsed.code)) return undefined;
        const details = parsed.details && typeof parsed.details === 'object' ? (parsed.details as Record<string, unknown>) : {};
        return new LedgerError(parsed.code as ErrorCode, String(parsed.message ?? ''), details);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Whether a value is a `LedgerError` (also across module copies). */
export function isLedgerError(e: unknown): e is LedgerError {
  return e instanceof LedgerError || (e instanceof Error && e.name === 'LedgerError' && 'code' in e);
}
