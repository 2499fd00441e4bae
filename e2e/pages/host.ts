// The browser host the e2e run talks to and its per-launch token.
// playwright.config.ts starts `scxray serve --port 0` and reads two values from
// the line it prints ("scxray is serving at http://127.0.0.1:PORT/?token=T"):
// SCXRAY_URL (the origin with a trailing slash: every spec's baseURL) and
// SCXRAY_TOKEN. Every browser context of the browser project starts with the
// token cookie the host would set (hostStorageState below), so `page.goto('/')`
// and any other path just work; specs never handle the token themselves.
// A spec that needs the token explicitly (its own WebSocket, a fresh context
// from `browser.newContext()`) uses hostUrl / hostToken / hostStorageState.

/** The host's origin with a trailing slash (the browser project's baseURL). */
export function hostBaseUrl(): string {
  const url = process.env.SCXRAY_URL;
  if (!url) throw new Error('SCXRAY_URL is not set: run the e2e tests through playwright.config.ts (it starts scxray serve)');
  return url;
}

export function hostToken(): string {
  const token = process.env.SCXRAY_TOKEN;
  if (!token) throw new Error('SCXRAY_TOKEN is not set: run the e2e tests through playwright.config.ts (it starts scxray serve)');
  return token;
}

/** An absolute URL on the host carrying the token, e.g. hostUrl('/#bench-timeline=1000') or hostUrl('/session', 'ws'). */
export function hostUrl(path = '/', scheme: 'http' | 'ws' = 'http'): string {
  const u = new URL(path, hostBaseUrl());
  u.searchParams.set('token', hostToken());
  if (scheme === 'ws') u.protocol = 'ws:';
  return u.href;
}

/** The cookie scxray serve sets after the first tokened page load (src/main/host/token.ts names it by port). */
export function hostStorageState(): { cookies: HostCookie[]; origins: [] } | undefined {
  const url = process.env.SCXRAY_URL;
  const token = process.env.SCXRAY_TOKEN;
  if (!url || !token) return undefined;
  const { hostname, port } = new URL(url);
  return {
    cookies: [{ name: `scxray-token-${port}`, value: token, domain: hostname, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Strict' }],
    origins: [],
  };
}

interface HostCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Strict' | 'Lax' | 'None';
}
