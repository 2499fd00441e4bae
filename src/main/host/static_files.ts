// Serving the built renderer (dist/renderer) to the browser: files under one
// root only (by real path: no symlink out of it), with the content types a browser needs for modules and wasm.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` for a URL path, or null when it is outside root or absent. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const full = join(root, rel);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  if (!existsSync(full) || !statSync(full).isFile()) return null;
  // A symlink inside the folder may point anywhere: serve only files whose real path is inside it too.
  const realRoot = realpathSync(root);
  const real = realpathSync(full);
  if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return null;
  return full;
}

const BRIDGE_TAG = '<script src="./scxray-bridge.js"></script>';

/** index.html with the session bridge loaded first, before the renderer's module scripts. */
export function indexHtml(root: string): string {
  const path = join(root, 'index.html');
  if (!existsSync(path)) {
    return `<!doctype html><html><head><meta charset="utf-8">${BRIDGE_TAG}<title>scxray</title></head>
<body><main id="scxray-not-built"><h1>scxray</h1><p>The user interface has not been built yet.
Run <code>npm run build</code> (or <code>npm start</code>, which builds it) and reload.</p></main></body></html>`;
  }
  const html = readFileSync(path, 'utf8');
  const m = /<head[^>]*>/i.exec(html);
  return m ? html.slice(0, m.index + m[0].length) + BRIDGE_TAG + html.slice(m.index + m[0].length) : BRIDGE_TAG + html;
}
