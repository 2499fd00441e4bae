// `window.scxray`, installed by the Electron preload or by the browser host's
// bridge script before the renderer's code runs.
import type { ScxrayApi } from './contract';

declare global {
  interface Window {
    scxray: ScxrayApi;
  }
}

export {};
