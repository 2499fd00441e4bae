// A scheduler that faults: the recorded run ends with an error exit, and the
// Diagnostics tab names the program and the source line.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';

const ROOT = resolve(import.meta.dirname, '..');
const NULL_DEREF = resolve(ROOT, 'test', 'bpf', 'build', 'sim', 'null_deref.bpf.o');

/** A 50 ms run of the faulting fixture on 2 CPUs, recorded to `path` (the fixture built first if needed). */
function recordNullDeref(path: string): string {
  if (!existsSync(NULL_DEREF)) {
    // The BPF test fixtures are built from test/bpf/**/*.bpf.c (npm test does this first).
    const b = spawnSync(process.execPath, [resolve(ROOT, 'scripts', 'build-bpf.mjs'), '--tests-only'], { cwd: ROOT, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
  }
  return recordTrace(path, { object: NULL_DEREF, workload: 'cpu-hogs', cpus: 2, duration: '50ms', allowEjection: true });
}

test('a faulting scheduler shows its exit with the source line in Diagnostics', async ({ page }, testInfo) => {
  const trace = recordNullDeref(testInfo.outputPath('null-deref.scxtrace'));
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await ui.drawer.diagnosticsTab.click();
  await expect(ui.drawer.diagnostics).toContainText('SCX_EXIT_ERROR');
  await expect(ui.drawer.diagnostics).toContainText('nd_enqueue');
  await expect(ui.drawer.diagnostics).toContainText(':23');
  await ui.screenshot(testInfo, 'diagnostics');
});

test('picking a diagnostic opens the source pane at the line it names', async ({ page }, testInfo) => {
  const trace = recordNullDeref(testInfo.outputPath('null-deref-src.scxtrace'));
  const ui = new DebuggerPage(page);
  await ui.open();
  // The object gives the source text; the trace gives the diagnostics.
  await ui.toolbar.openObjectFile(NULL_DEREF);
  await ui.toolbar.openTraceFile(trace);
  await ui.drawer.diagnosticsTab.click();
  await ui.drawer.diagnostics.getByRole('button').filter({ hasText: 'SCX_EXIT_ERROR' }).first().click();
  const source = page.getByTestId('debug-panel').locator('.source-pane');
  await expect(source).toBeVisible();
  await expect(source).toHaveAttribute('data-current-line', '23');
  await expect(source.locator('.cm-debug-current')).toContainText('*c += 1; /* BUG: index 1 is out of range');
  await ui.screenshot(testInfo, 'diagnostic-source');
});
