// The URL fragment that makes the UI open a recorded trace at an instant:
// `#open=<path>&at=<ns>`. `scxray serve --open TRACE --at T` prints a URL
// with it (the test runner and the fuzzer point at failing instants this
// way); the renderer reads it once at start (the host still decides whether
// it may open that path).

export interface OpenLink {
  path: string;
  atNs?: number;
}

export function openTraceHash(path: string, atNs?: number): string {
  const p = new URLSearchParams({ open: path });
  if (atNs !== undefined) p.set('at', String(Math.round(atNs)));
  return `#${p.toString()}`;
}

/** The link in a location hash, or undefined when it has none. */
export function parseOpenHash(hash: string): OpenLink | undefined {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const path = p.get('open');
  if (!path) return undefined;
  const at = Number(p.get('at'));
  return p.has('at') && Number.isFinite(at) && at >= 0 ? { path, atNs: at } : { path };
}
