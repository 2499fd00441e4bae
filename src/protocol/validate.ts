// Boundary checks for the session contract: a request envelope and its
// params, a result before it leaves the host, a push before it is sent. Each
// failure becomes a SessionError whose `where` names the offending field
// ("params.cpus") so the sender can fix it.

import type { z } from 'zod';
import {
  METHOD_NAMES,
  methods,
  pushes,
  type MethodName,
  type MethodParamsParsed,
  type PushChannel,
  type PushPayload,
  type SessionError,
} from './contract';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: SessionError };

/** "params.workload.preset" from a zod issue path under a prefix. */
function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(message)';
}

/** Turn a zod error into one SessionError naming the first bad field (and counting the rest). */
export function describeIssues(prefix: string, error: z.ZodError, what: string): SessionError {
  const first = error.issues[0];
  const where = first ? fieldPath(prefix, issuePath(first)) : prefix;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  const detail = first ? issueMessage(first) : 'invalid';
  return { code: 'invalid_request', message: `${what}: ${where}: ${detail}${more}`, where };
}

// A union failure reports no path of its own. The branch with the fewest
// issues is the one the sender most likely meant; its first issue names the field.
function issuePath(issue: z.core.$ZodIssue): PropertyKey[] {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0];
    if (best && best.path.length > 0) return [...issue.path, ...issuePath(best)];
  }
  return [...issue.path];
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0];
    if (best) return issueMessage(best);
  }
  return issue.message;
}

/** JSON-quoted text cut to `max` characters, saying how long it was when cut. */
export function quoteShort(text: string, max: number): string {
  return text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isMethodName(v: unknown): v is MethodName {
  return typeof v === 'string' && (METHOD_NAMES as string[]).includes(v);
}

export interface CheckedRequest<M extends MethodName = MethodName> {
  method: M;
  params: MethodParamsParsed<M>;
}

/** Validate `{ method, params }` as received from a renderer. */
export function checkRequest(raw: unknown): Checked<CheckedRequest> {
  if (!isRecord(raw)) return bad('(message)', 'a request must be an object { method, params }');
  const method = raw.method;
  if (typeof method !== 'string') return bad('method', 'method must be a string naming a session method');
  if (!isMethodName(method)) {
    return {
      ok: false,
      error: {
        code: 'unknown_method',
        // Quote at most 64 characters of what was sent: a 10 MB name must not come back as a 10 MB reply.
        message: `method: unknown session method ${quoteShort(method, 64)} (known: ${METHOD_NAMES.join(', ')})`,
        where: 'method',
      },
    };
  }
  const parsed = methods[method].params.safeParse(raw.params ?? {});
  if (!parsed.success) return { ok: false, error: describeIssues('params', parsed.error, `invalid ${method} request`) };
  return { ok: true, value: { method, params: parsed.data as MethodParamsParsed<MethodName> } };
}

/** Validate a result before it is sent, so a host bug shows up as a clear error rather than a confused UI. */
export function checkResult(method: MethodName, value: unknown): Checked<unknown> {
  const parsed = methods[method].result.safeParse(value);
  if (!parsed.success) {
    const e = describeIssues('result', parsed.error, `host produced an invalid ${method} result`);
    return { ok: false, error: { ...e, code: 'internal' } };
  }
  return { ok: true, value: parsed.data };
}

export function checkPush<C extends PushChannel>(channel: C, payload: unknown): Checked<PushPayload<C>> {
  const schema = pushes[channel];
  if (!schema) return bad('channel', `unknown push channel "${String(channel)}"`);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: describeIssues('payload', parsed.error, `invalid ${channel} push`) };
  return { ok: true, value: parsed.data as PushPayload<C> };
}

function bad(where: string, message: string): { ok: false; error: SessionError } {
  return { ok: false, error: { code: 'invalid_request', message: `${where}: ${message}`, where } };
}
