// The one Content-Security-Policy both hosts send with the renderer: scripts
// only from our own origin (no inline code, no eval), no plugins, no framing,
// network only back to our own origin (the browser host's WebSocket).
// Inline styles are allowed because Svelte sets style attributes for
// positioning; they cannot run code.

export function contentSecurityPolicy(opts: { connect?: string[] } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.connect?.length ? ' ' + opts.connect.join(' ') : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
