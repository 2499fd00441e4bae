// Electron main's wiring, run in Node against a stand-in for the 'electron'
// module (the real binary cannot be downloaded everywhere): the app://
// protocol serves with the CSP, the window gets the secure webPreferences,
// navigation and window.open are denied, the menu has the File items, and
// IPC from anyone but our window's main frame is refused.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    schemes: [] as unknown[],
    protocolHandler: null as null | ((r: Request) => Response),
    ipc: new Map<string, Handler>(),
    windows: [] as { options: Record<string, unknown>; wc: { id: number; handlers: Map<string, Handler>; openHandler: Handler | null; loaded: string; mainFrame: { processId: number; routingId: number }; send: Handler } }[],
    menu: null as unknown,
    ready: null as null | (() => void),
    permission: null as Handler | null,
    appHandlers: new Map<string, Handler>(),
    quit: 0,
  };
  class BrowserWindow {
    webContents;
    constructor(readonly options: Record<string, unknown>) {
      const handlers = new Map<string, Handler>();
      const wc = {
        id: 42,
        handlers,
        openHandler: null as Handler | null,
        loaded: '',
        mainFrame: { processId: 7, routingId: 1 },
        send: () => undefined,
        on: (ev: string, h: Handler) => handlers.set(ev, h),
        setWindowOpenHandler: (h: Handler) => (wc.openHandler = h),
      };
      this.webContents = wc;
      state.windows.push({ options, wc });
    }
    once() {}
    on() {}
    show() {}
    isDestroyed() {
      return false;
    }
    loadURL(url: string) {
      this.webContents.loaded = url;
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      getAppPath: () => process.cwd(),
      isPackaged: false,
      on: (ev: string, h: Handler) => state.appHandlers.set(ev, h),
      quit: () => void state.quit++,
      whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
    },
    BrowserWindow,
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: (ch: string, h: Handler) => state.ipc.set(ch, h) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (state.menu = m) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.schemes.push(...s),
      handle: (_scheme: string, h: (r: Request) => Response) => (state.protocolHandler = h),
    },
    session: { defaultSession: { setPermissionRequestHandler: (h: Handler) => (state.permission = h), setPermissionCheckHandler: () => undefined } },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

beforeAll(async () => {
  await import('./main');
  fake.state.ready?.();
  await new Promise((r) => setTimeout(r, 50));
});

afterAll(async () => {
  // Closing the last window disposes the session worker, then quits.
  fake.state.appHandlers.get('window-all-closed')?.();
  await vi.waitFor(() => expect(fake.state.quit).toBe(1));
});

describe('Electron main wiring', () => {
  it('registers app:// as a privileged standard scheme and opens one window on it', () => {
    expect(fake.state.schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(fake.state.windows).toHaveLength(1);
    expect(fake.state.windows[0]!.wc.loaded).toBe('app://scxray/index.html');
  });

  it('creates the window sandboxed, isolated, without Node', () => {
    const prefs = fake.state.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
  });

  it('denies window.open, navigation away, and every permission', () => {
    const wc = fake.state.windows[0]!.wc;
    expect(wc.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    let prevented = false;
    wc.handlers.get('will-navigate')?.({ preventDefault: () => (prevented = true) }, 'https://example.com/');
    expect(prevented).toBe(true);
    let granted: boolean | undefined;
    fake.state.permission?.(null, 'camera', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
  });

  it('serves the renderer over app:// with the CSP and refuses paths outside it', async () => {
    const res = fake.state.protocolHandler!(new Request('app://scxray/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = fake.state.protocolHandler!(new Request('app://scxray/..%2f..%2fpackage.json'));
    expect(escape.status).toBe(404);
  });

  it('has File ▸ Open scheduler object…, Open recorded timeline…, Quit', () => {
    const file = (fake.state.menu as { label: string; submenu: { label?: string }[] }[]).find((m) => m.label === 'File');
    expect(file?.submenu.map((i) => i.label).filter(Boolean)).toEqual(['Open scheduler object…', 'Open recorded timeline…', 'Quit']);
  });

  it('answers IPC from our window and refuses other senders', async () => {
    const handle = fake.state.ipc.get('scxray:request')!;
    const ours = { sender: { id: 42, mainFrame: { processId: 7, routingId: 1 } }, senderFrame: { url: 'app://scxray/index.html', processId: 7, routingId: 1 } };
    const r = (await handle(ours, { method: 'hostInfo', params: {} })) as { ok: boolean; result?: { host: string } };
    expect(r).toMatchObject({ ok: true, result: { host: 'electron', nativeDialogs: true } });
    const stranger = { ...ours, sender: { id: 99, mainFrame: ours.sender.mainFrame } };
    expect(await handle(stranger, { method: 'hostInfo', params: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const subframe = { ...ours, senderFrame: { ...ours.senderFrame, routingId: 5 } };
    expect(await handle(subframe, { method: 'hostInfo', params: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const invalid = (await handle(ours, { method: 'stateAt', params: { t: 'x' } })) as { ok: boolean; error?: { where: string } };
    expect(invalid.error?.where).toBe('params.t');
  });
});
