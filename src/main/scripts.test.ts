// The decisions npm start / npm test make (scripts/launch.mjs, scripts/test.mjs):
// dependency-free .mjs files, loaded here through a computed path so the type
// checker does not need declarations for them.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface LaunchModule {
  needsInstall(root: string): boolean;
  afterInstallAttempt(a: { status: number; skippedElectron: boolean }): string;
  electronBinary(root: string): string | null;
  launchPlan(a: { electronExe: string | null; platform: string; env: Record<string, string | undefined> }): { kind: string; reason?: string; exe?: string };
  servingUrl(text: string): string | null;
}
interface TestModule {
  missingDebPackages(wanted: string[], isInstalled: (p: string) => boolean): string[];
  summarize(v: unknown, p: unknown): { passed: number; failed: number };
}

const load = <T>(rel: string): Promise<T> => import(/* @vite-ignore */ new URL(rel, import.meta.url).href) as Promise<T>;

describe('npm start decisions', () => {
  it('finds the browser host URL with its token in the serve output', async () => {
    const m = await load<LaunchModule>('../../scripts/launch.mjs');
    const token = 'ab'.repeat(32);
    expect(m.servingUrl(`scxray is serving at http://127.0.0.1:41234/?token=${token}\n`)).toBe(`http://127.0.0.1:41234/?token=${token}`);
    expect(m.servingUrl('scxray is serving at http://127.0.0.1:41234/\n')).toBeNull();
    expect(m.servingUrl('building…')).toBeNull();
  });

  it('installs when node_modules or a needed package is missing', async () => {
    const m = await load<LaunchModule>('../../scripts/launch.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'scxray-launch-'));
    expect(m.needsInstall(dir)).toBe(true);
    for (const p of ['vite', 'vitest', 'esbuild', 'tsx', '@playwright/test']) {
      mkdirSync(join(dir, 'node_modules', p), { recursive: true });
      writeFileSync(join(dir, 'node_modules', p, 'package.json'), '{}');
    }
    expect(m.needsInstall(dir)).toBe(false);
  });

  it('retries npm ci without the Electron binary once, then gives up', async () => {
    const m = await load<LaunchModule>('../../scripts/launch.mjs');
    expect(m.afterInstallAttempt({ status: 0, skippedElectron: false })).toBe('done');
    expect(m.afterInstallAttempt({ status: 1, skippedElectron: false })).toBe('retry-without-electron');
    expect(m.afterInstallAttempt({ status: 0, skippedElectron: true })).toBe('done-without-electron');
    expect(m.afterInstallAttempt({ status: 1, skippedElectron: true })).toBe('fail');
  });

  it('finds the Electron binary only when path.txt points at a file', async () => {
    const m = await load<LaunchModule>('../../scripts/launch.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'scxray-electron-'));
    const pkg = join(dir, 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    expect(m.electronBinary(dir)).toBeNull();
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(m.electronBinary(dir)).toBeNull();
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(m.electronBinary(dir)).toBe(join(pkg, 'dist', 'electron'));
  });

  it('falls back to the browser host with one line saying why', async () => {
    const m = await load<LaunchModule>('../../scripts/launch.mjs');
    const none = m.launchPlan({ electronExe: null, platform: 'linux', env: { DISPLAY: ':0' } });
    expect(none.kind).toBe('browser');
    expect(none.reason).toMatch(/Electron binary not installed/);
    expect(none.reason).not.toContain('\n');
    const headless = m.launchPlan({ electronExe: '/x/electron', platform: 'linux', env: {} });
    expect(headless).toMatchObject({ kind: 'browser' });
    expect(headless.reason).toMatch(/DISPLAY/);
    expect(m.launchPlan({ electronExe: '/x/electron', platform: 'linux', env: { DISPLAY: ':1' } })).toEqual({ kind: 'electron', exe: '/x/electron' });
  });
});

describe('npm test decisions', () => {
  it('lists the Debian packages that are not installed', async () => {
    const m = await load<TestModule>('../../scripts/test.mjs');
    expect(m.missingDebPackages(['clang-19', 'chromium', 'xvfb'], (p) => p === 'chromium')).toEqual(['clang-19', 'xvfb']);
  });

  it('sums vitest and playwright counts from their JSON reports', async () => {
    const m = await load<TestModule>('../../scripts/test.mjs');
    const v = { numPassedTests: 40, numFailedTests: 2 };
    const p = { stats: { expected: 5, unexpected: 1, flaky: 1, skipped: 3 } };
    expect(m.summarize(v, p)).toEqual({ passed: 46, failed: 3 });
    expect(m.summarize(null, p)).toEqual({ passed: 6, failed: 1 });
    expect(m.summarize(v, null)).toEqual({ passed: 40, failed: 2 });
  });
});
