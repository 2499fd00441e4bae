// The source-level debugger in the browser: set a line breakpoint in the
// source pane, run to it, see the paused line, a register decoded as a task
// pointer and a struct field in the memory viewer, step, continue.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebuggerPage } from './pages/debugger_page';
import { DebugPanel } from './pages/debug_panel';

const FIFO = readFileSync(resolve(import.meta.dirname, '..', 'assets', 'schedulers', 'fifo.bpf.c'), 'utf8').split('\n');
const lineOf = (text: string): number => FIFO.findIndex((l) => l.includes(text)) + 1;

test('line breakpoint in the source pane: run, paused line, register, struct field, step, continue', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('fifo');
  await expect(ui.scheduler.name).toHaveText('fifo');

  const dbg = new DebugPanel(page);
  await dbg.toggle.click();
  await expect(dbg.source).toContainText('fifo_enqueue');
  const bpLine = lineOf('__sync_fetch_and_add(&nr_global, 1);');
  await dbg.toggleBreakpoint(bpLine);
  await expect(dbg.breakpoints.first()).toContainText(`#1 fifo.bpf.c:${bpLine}`);
  await expect(dbg.source.locator('.cm-bp-dot')).toHaveCount(1);

  await dbg.button('Run to break').click();
  await expect(dbg.status).toContainText('Paused at breakpoint 1 in enqueue');
  await expect(dbg.pausedLine).toHaveText(`fifo.bpf.c:${bpLine}`);
  await expect(dbg.source).toHaveAttribute('data-current-line', String(bpLine));
  await expect(dbg.currentLineText()).toContainText('__sync_fetch_and_add(&nr_global, 1);');

  // r1 holds p: shown in hex, decimal and as the task it points at
  const r1 = dbg.register('r1');
  await expect(r1).toContainText(/0x[0-9a-f]+/);
  await expect(r1).toContainText(/task_struct pid \d+ \+0x0/);
  const pid = Number(/task_struct pid (\d+)/.exec((await r1.textContent()) ?? '')![1]);

  // the task's fields in the memory viewer, typed from BTF
  await dbg.showMemory('*p');
  await expect(dbg.memory.locator('[data-field="pid"]')).toHaveText(String(pid));
  await ui.screenshot(testInfo, 'debugger-paused');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.screenshot(testInfo, 'debugger-paused-1600');
  await page.setViewportSize({ width: 1280, height: 720 });
  await ui.screenshot(testInfo, 'debugger-paused-1280');

  await dbg.button('Next').click();
  await expect(dbg.pausedLine).toHaveText(`fifo.bpf.c:${bpLine + 1}`);
  await expect(dbg.status).toContainText('after step');

  await dbg.button('Continue').click();
  await expect(dbg.status).toContainText('Paused at breakpoint 1 in enqueue');
  await expect(dbg.pausedLine).toHaveText(`fifo.bpf.c:${bpLine}`);
  await dbg.tab('Registers').click();
  const pid2 = Number(/task_struct pid (\d+)/.exec((await dbg.register('r1').textContent()) ?? '')![1]);
  expect(pid2).not.toBe(pid); // the next enqueue is another task

  // breakpoints persist per object: a new page load of the same object has it back
  await ui.open();
  await ui.empty.openExample('fifo');
  await dbg.toggle.click();
  await expect(dbg.breakpoints.first()).toContainText(`#1 fifo.bpf.c:${bpLine}`);
  await dbg.lineNumber(bpLine);
  await expect(dbg.source.locator('.cm-bp-dot')).toHaveCount(1);
});

test('Debug this call: an op event of a finished run re-runs to that call with its arguments', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('fifo');
  await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 2, seed: 3, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  await ui.drawer.filterKind('op');
  const row = ui.drawer.rows.filter({ hasText: 'enqueue' }).nth(2);
  await row.click();

  const dbg = new DebugPanel(page);
  await dbg.toggle.click();
  const picked = page.getByTestId('picked-op');
  await expect(picked).toContainText(/enqueue pid \d+ on CPU \d/);
  const pid = Number(/enqueue pid (\d+)/.exec((await picked.textContent()) ?? '')![1]);
  await picked.getByRole('button', { name: 'Debug this call' }).click();
  await expect(dbg.status).toContainText("Paused at the call's first instruction in enqueue");
  await expect(dbg.pausedLine).toHaveText(`fifo.bpf.c:${lineOf('BPF_STRUCT_OPS(fifo_enqueue')}`);
  await dbg.tab('Arguments & watches').click();
  await expect(page.getByTestId('op-args')).toContainText(`task_struct pid ${pid} +0x0`);
  // the state views show the paused instant inside the op: the two tasks enqueued before this one at t = 0 are queued, this one not yet
  const state = page.getByRole('region', { name: 'State at cursor' });
  await expect(state).toContainText(/GLOBAL\s*FIFO · 2 queued/);
  await ui.screenshot(testInfo, 'debug-this-call');

  await dbg.button('Finish').click();
  await expect(dbg.status).toContainText('at return, r0 =');
});
