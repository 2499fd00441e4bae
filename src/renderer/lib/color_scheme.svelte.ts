// The theme: the OS's (system), or light or dark as the user picked in the
// toolbar (kept in localStorage). `dark` is a rune that follows both, for
// colours computed in script (task colours, the timeline canvas) rather than
// by CSS variables; the pick is mirrored as data-theme on <html> for the CSS.
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'scxray.theme';

class ColorScheme {
  choice = $state<ThemeChoice>('system');
  private systemDark = $state(false);

  get dark(): boolean {
    return this.choice === 'system' ? this.systemDark : this.choice === 'dark';
  }

  constructor() {
    if (typeof matchMedia === 'function') {
      const mq = matchMedia('(prefers-color-scheme: dark)');
      this.systemDark = mq.matches;
      mq.addEventListener('change', () => (this.systemDark = mq.matches));
    }
    try {
      const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
      if (saved === 'light' || saved === 'dark') this.set(saved);
    } catch {
      // storage unavailable (private mode): the choice lasts for this page only
    }
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    if (typeof document !== 'undefined') {
      if (choice === 'system') delete document.documentElement.dataset.theme;
      else document.documentElement.dataset.theme = choice;
    }
    try {
      if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY);
      else globalThis.localStorage?.setItem(STORAGE_KEY, choice);
    } catch {
      // see above
    }
  }
}

export const colorScheme = new ColorScheme();
