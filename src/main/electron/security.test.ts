import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender, webPreferences } from './security';
import { contentSecurityPolicy } from '../csp';

describe('Electron security decisions', () => {
  it('window runs sandboxed with context isolation and no Node', () => {
    const p = webPreferences('/x/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
  });

  it('trusts only our window main frame on app://scxray', () => {
    const ours = { senderId: 3, frameUrl: 'app://scxray/index.html', isMainFrame: true };
    expect(isTrustedSender(ours, 3)).toBe(true);
    expect(isTrustedSender({ ...ours, senderId: 4 }, 3)).toBe(false);
    expect(isTrustedSender({ ...ours, isMainFrame: false }, 3)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'https://example.com/' }, 3)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: null }, 3)).toBe(false);
    expect(isTrustedSender(ours, null)).toBe(false);
  });

  it('recognizes app URLs only', () => {
    expect(isAppUrl('app://scxray/assets/x.js')).toBe(true);
    expect(isAppUrl('app://other/x')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('CSP forbids inline scripts, eval, plugins and framing', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
