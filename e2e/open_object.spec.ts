// Opening scheduler objects through the UI: the empty state, a file that is
// not a BPF object, an example, and a real *.bpf.o uploaded from disk.
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebuggerPage } from './pages/debugger_page';

const SCHEDULERS = resolve(import.meta.dirname, '..', 'assets', 'schedulers');

test('the empty state says what to do and lists the examples', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await expect(ui.empty.root).toContainText('Open a scheduler object (*.bpf.o) or pick an example');
  await expect(ui.empty.examples.filter({ hasText: 'rbtree' })).toHaveCount(1);
  await expect(ui.empty.examples.filter({ hasText: 'fifo' })).toHaveCount(1);
  await expect(ui.toolbar.runButton).toBeDisabled();
  await ui.screenshot(testInfo, 'empty-state');
});

test('a file that is not a BPF object gets an error banner naming it', async ({ page }, testInfo) => {
  const notes = testInfo.outputPath('notes.txt');
  writeFileSync(notes, 'these are my notes, not an ELF file\n');
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openObjectFile(notes);
  await expect(ui.banner.root).toBeVisible();
  await expect(ui.banner.file).toHaveText('notes.txt');
  await expect(ui.banner.root).toContainText(/not a BPF object|ELF/i);
  await expect(ui.scheduler.name).toHaveCount(0);
  await ui.screenshot(testInfo, 'error-banner');
  await ui.banner.dismiss();
  await expect(ui.banner.root).toHaveCount(0);
});

test('opening an example lists the ops it implements', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('rbtree');
  await expect(ui.scheduler.name).toHaveText('rbtree');
  await expect
    .poll(() => ui.scheduler.opNames())
    .toEqual(expect.arrayContaining(['select_cpu', 'enqueue', 'dispatch', 'running', 'stopping', 'init_task', 'exit_task', 'exit']));
  await expect(ui.scheduler.kfuncs.filter({ hasText: 'bpf_rbtree_add' })).toHaveCount(1);
  await expect(ui.empty.root).toContainText('rbtree is loaded');
  await ui.screenshot(testInfo, 'scheduler-loaded');
});

test('a clang-built object uploaded from disk is loaded and its ops listed', async ({ page }) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openObjectFile(resolve(SCHEDULERS, 'fifo.bpf.o'));
  await expect(ui.scheduler.name).toHaveText('fifo');
  await expect.poll(() => ui.scheduler.opNames()).toEqual(['select_cpu', 'enqueue', 'exit']);
  await expect(ui.scheduler.maps.filter({ hasText: 'STRUCT_OPS' })).toHaveCount(1);
  await expect(ui.banner.root).toHaveCount(0);
});
