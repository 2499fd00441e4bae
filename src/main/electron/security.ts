// The Electron security checklist as data and pure checks, so it can be unit
// tested without launching Electron: the window's webPreferences, which IPC
// senders we trust, and which URLs the window may show.

export const APP_ORIGIN = 'app://scxray';

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
  navigateOnDragDrop: false;
}

export function webPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  };
}

/** Only our own pages, served by our app:// protocol handler. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'scxray';
  } catch {
    return false;
  }
}

export interface SenderLike {
  /** webContents id of the sender. */
  senderId: number;
  /** URL of the frame that sent the message (null when it has gone). */
  frameUrl: string | null;
  /** Whether the sending frame is the main frame. */
  isMainFrame: boolean;
}

/** An IPC message is ours only if it comes from our window's main frame showing our page. */
export function isTrustedSender(sender: SenderLike, windowWebContentsId: number | null): boolean {
  return (
    windowWebContentsId !== null &&
    sender.senderId === windowWebContentsId &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    isAppUrl(sender.frameUrl)
  );
}
