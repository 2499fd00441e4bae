import { describe, expect, it } from 'vitest';
import { TaskPalette, taskColor, taskHue } from './task_colors';

describe('task colours', () => {
  it('are stable for a pid and differ for neighbours', () => {
    expect(taskColor(42, false)).toBe(taskColor(42, false));
    const hues = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(taskHue));
    expect(hues.size).toBe(8);
  });
  it('give the idle task a neutral grey', () => {
    expect(taskColor(0, false)).toBe('#d5d8dc');
    expect(taskColor(0, true)).toBe('#3a3f47');
  });
  it('palette follows the theme', () => {
    const p = new TaskPalette(false);
    const light = p.color(9);
    p.setDark(true);
    expect(p.color(9)).toBe(taskColor(9, true));
    expect(p.color(9)).not.toBe(light);
  });
});
