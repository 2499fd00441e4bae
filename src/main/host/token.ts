// The browser host's per-launch secret, like Jupyter's token: printed in the
// URL (`http://127.0.0.1:PORT/?token=…`), exchanged on the first page load for
// an HttpOnly, SameSite=Strict cookie named after the port (cookies are not
// port-scoped, so two hosts on one machine must not overwrite each other's),
// and required on every WebSocket upgrade — from the cookie (the page) or the
// `token` query parameter (tools, tests). The Origin check stays as well: the
// token keeps out other local processes, the Origin check other sites' pages.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes as 64 hex digits. */
export function newHostToken(): string {
  return randomBytes(32).toString('hex');
}

export function tokenCookieName(port: number): string {
  return `scxray-token-${port}`;
}

/** Set-Cookie value that keeps the token in the page's browser for this host. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** One cookie's value from a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison, so the reply time does not reveal how much of a guess was right. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string' || candidate.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(candidate), Buffer.from(token));
}

export type TokenSource = 'query' | 'cookie';

/** Where the request carries the right token (the query wins), or null when it does not. */
export function requestToken(req: IncomingMessage, url: URL, port: number, token: string): TokenSource | null {
  if (tokenMatches(url.searchParams.get('token'), token)) return 'query';
  if (tokenMatches(cookieValue(req.headers.cookie, tokenCookieName(port)), token)) return 'cookie';
  return null;
}
