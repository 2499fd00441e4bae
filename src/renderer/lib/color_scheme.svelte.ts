// Whether the OS asks for the dark theme, as a rune that follows changes, for
// colours computed in script (task colours) rather than by CSS variables.
class ColorScheme {
  dark = $state(false);

  constructor() {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    this.dark = mq.matches;
    mq.addEventListener('change', () => (this.dark = mq.matches));
  }
}

export const colorScheme = new ColorScheme();
