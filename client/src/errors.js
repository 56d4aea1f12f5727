/** An error carrying the wire contract's code (INVALID_ARGUMENT, UNAUTHENTICATED, CONFLICT, …). */
export class MiniappError extends Error {
  constructor(code, message, { status, requestId, cause } = {}) {
    super(message || code);
    this.name = 'MiniappError';
    this.code = code;
    if (status !== undefined) this.status = status;
    if (requestId !== undefined) this.requestId = requestId;
    if (cause !== undefined) this.cause = cause;
  }
}

/** The contract error in a parsed answer body (`{"error": {"code", "message"}}`), or null. */
export function contractError(body, status) {
  const e = body && body.error;
  if (e && typeof e.code === 'string') {
    return new MiniappError(e.code, e.message, { status, requestId: e.requestId });
  }
  return null;
}

/** Parses JSON text; an object passes through, anything unparsable is null. */
export function parseJson(text) {
  if (text && typeof text === 'object') return text;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
