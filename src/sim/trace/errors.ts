// Typed errors for trace files. Every failure to read or write a trace is a
// TraceError with a code a caller can switch on, and a message that says what
// went wrong, where (file, byte offset, chunk) and what to do.

export type TraceErrorCode =
  | 'not_a_trace' // wrong magic: not an scxray trace at all
  | 'newer_version' // written by a newer major format version
  | 'truncated' // the file ends inside a structure
  | 'checksum' // a CRC32 does not match: the bytes were changed
  | 'corrupt' // bytes pass their checksum but do not decode
  | 'no_chunks' // a valid header but not one whole chunk
  | 'bad_event' // the recorder was given an event it cannot store
  | 'bad_argument' // a query or option is out of range
  | 'closed' // the recorder or reader was used after close()
  | 'io'; // the operating system refused a read or write

export interface TraceErrorWhere {
  file?: string;
  offset?: number;
  chunk?: number;
}

export class TraceError extends Error {
  override readonly name = 'TraceError';
  /** The message without the location prefix. */
  readonly detail: string;
  constructor(
    readonly code: TraceErrorCode,
    message: string,
    readonly where: TraceErrorWhere = {},
  ) {
    super(describe(message, where));
    this.detail = message;
  }
}

function describe(message: string, where: TraceErrorWhere): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.chunk !== undefined) parts.push(`chunk ${where.chunk}`);
  if (where.offset !== undefined) parts.push(`byte ${where.offset}`);
  return parts.length > 0 ? `${parts.join(', ')}: ${message}` : message;
}

export function isTraceError(e: unknown): e is TraceError {
  return e instanceof TraceError;
}
