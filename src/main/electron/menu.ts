// The application menu: File ▸ Open scheduler object…, Open recorded
// timeline…, Quit; plus the standard Edit and View roles.

import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openObject(): void;
  openTrace(): void;
}

export function menuTemplate(actions: MenuActions, opts: { devTools: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (opts.devTools) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open scheduler object…', accelerator: 'CmdOrCtrl+O', click: () => actions.openObject() },
        { label: 'Open recorded timeline…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openTrace() },
        { type: 'separator' },
        { role: 'quit', label: 'Quit' },
      ],
    },
    { label: 'Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    { label: 'View', submenu: view },
  ];
}

/** Native dialog filters per kind of file. */
export function dialogFilters(kind: 'object' | 'trace'): { name: string; extensions: string[] }[] {
  return kind === 'object'
    ? [{ name: 'BPF scheduler object', extensions: ['o'] }, { name: 'All files', extensions: ['*'] }]
    : [{ name: 'scxray timeline', extensions: ['scxtrace'] }, { name: 'All files', extensions: ['*'] }];
}
