// Electron main: one window showing the renderer from our app:// protocol,
// with the security checklist applied, the application menu, native dialogs,
// and the session behind IPC. Files are opened only here, in main.
// Bundled by scripts/build.mjs into dist/electron/main.cjs.

import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session as electronSession } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy } from '../csp';
import { contentType, resolveStatic } from '../host/static_files';
import { IPC_PUSH, IPC_REQUEST } from '../../protocol/channels';
import { WorkerSession } from '../session/worker_session';
import { dialogFilters, menuTemplate } from './menu';
import { APP_ORIGIN, isAppUrl, isTrustedSender, webPreferences } from './security';

protocol.registerSchemesAsPrivileged([
  // corsEnabled: Vite emits module scripts, which load in CORS mode.
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
]);

const appRoot = app.getAppPath();
const rendererDir = join(appRoot, 'dist', 'renderer');
const assetsDir = join(appRoot, 'assets');
const CSP = contentSecurityPolicy();

let win: BrowserWindow | null = null;

async function chooseFile(kind: 'object' | 'trace'): Promise<string | null> {
  const opts = {
    title: kind === 'object' ? 'Open scheduler object' : 'Open recorded timeline',
    properties: ['openFile' as const],
    filters: dialogFilters(kind),
  };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  const path = r.canceled ? undefined : r.filePaths[0];
  return path ?? null;
}

async function chooseSavePath(defaultName: string): Promise<string | null> {
  const opts = { title: 'Save trace as', defaultPath: defaultName, filters: dialogFilters('trace') };
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  return r.canceled || !r.filePath ? null : r.filePath;
}

// The session (and the simulator) runs in a worker thread so a long step never
// stalls menus or IPC. It opens `{ path }` requests only for paths chosen in
// a dialog here or under the bundled assets.
const builtWorker = join(__dirname, 'session_worker.cjs');
const sessionApi = new WorkerSession({
  host: 'electron',
  assetsDir,
  // The bundle beside main.cjs; from a checkout (tests), the TypeScript entry through tsx.
  ...(existsSync(builtWorker)
    ? { script: builtWorker }
    : { script: join(__dirname, '..', 'session', 'session_worker.ts'), fromSource: true }),
  restrictPaths: true,
  chooseFile,
  chooseSavePath,
});

sessionApi.onPush((channel, payload) => {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_PUSH, { channel, payload });
});

function serveApp(request: Request): Response {
  const url = new URL(request.url);
  const path = url.pathname === '/' ? '/index.html' : url.pathname;
  const file = resolveStatic(rendererDir, path);
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
  if (!file) {
    const body =
      path === '/index.html'
        ? `<!doctype html><meta charset="utf-8"><title>scxray</title><p>The user interface is not built: run npm run build.</p>`
        : `not found: ${path}`;
    return new Response(body, { status: path === '/index.html' ? 200 : 404, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
  }
  return new Response(readFileSync(file), { headers: { ...headers, 'Content-Type': contentType(file) } });
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'scxray',
    webPreferences: webPreferences(join(__dirname, 'preload.cjs')),
  });
  const wc = win.webContents;
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(() => {
  protocol.handle('app', serveApp);
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  electronSession.defaultSession.setPermissionCheckHandler(() => false);

  ipcMain.handle(IPC_REQUEST, async (event, raw: unknown) => {
    const trusted = isTrustedSender(
      {
        senderId: event.sender.id,
        frameUrl: event.senderFrame?.url ?? null,
        // WebFrameMain objects are not guaranteed to be identical; compare their ids.
        isMainFrame:
          event.senderFrame !== null &&
          event.senderFrame.processId === event.sender.mainFrame.processId &&
          event.senderFrame.routingId === event.sender.mainFrame.routingId,
      },
      win && !win.isDestroyed() ? win.webContents.id : null,
    );
    if (!trusted) {
      // Dropped: only our own window may drive the session.
      console.warn(`scxray: dropped IPC from an untrusted sender (webContents ${event.sender.id}, ${event.senderFrame?.url ?? 'no frame'})`);
      return { ok: false, error: { code: 'forbidden', message: 'IPC sender is not the scxray window' } };
    }
    return sessionApi.handle(raw);
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          openObject: () => void chooseFile('object').then((p) => p && sessionApi.openFromHost('object', p)),
          openTrace: () => void chooseFile('trace').then((p) => p && sessionApi.openFromHost('trace', p)),
        },
        { devTools: !app.isPackaged },
      ),
    ),
  );
  createWindow();
});

app.on('window-all-closed', () => {
  void sessionApi.dispose().finally(() => app.quit());
});
