// window.scxray in a browser: the same API the Electron preload exposes,
// carried over a WebSocket to the host that served the page. The host
// injects this script (built to an IIFE) before the renderer's own code, so
// the renderer finds window.scxray in both hosts and cannot tell them apart.
//
// Runs in the page: no Node, no imports beyond the shared protocol client
// (src/protocol/ws_client.ts), which the renderer's fallback uses too.

import { WebSocketScxray } from '../../protocol/ws_client';

const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
Object.defineProperty(window, 'scxray', {
  value: new WebSocketScxray(`${proto}//${location.host}/session`).facade(),
  writable: false,
  configurable: false,
});
