// `scxray serve --open TRACE --at T` prints the tokened URL with the fragment
// that opens the trace at T (the renderer side is e2e/open_link.spec.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOpenHash } from '../../protocol/open_link';
import { REPO_ROOT } from '../../../test/support/bpf';

function firstLine(args: string[]): Promise<{ line: string; code: number | null }> {
  return new Promise((resolveLine) => {
    const p = spawn(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'serve', '--port', '0', ...args], { cwd: REPO_ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('\n')) p.kill('SIGTERM');
    });
    p.stderr.on('data', (d: Buffer) => (err += String(d)));
    p.on('close', (code) => resolveLine({ line: (out || err).split('\n')[0]!, code }));
  });
}

describe('scxray serve --open', () => {
  it('prints a URL whose fragment names the trace and the instant', async () => {
    const trace = join(REPO_ROOT, 'assets/traces/rbtree-interactive.scxtrace');
    const { line } = await firstLine(['--open', trace, '--at', '1.5ms']);
    const m = /^scxray is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)(#.*)$/.exec(line);
    expect(m, line).not.toBeNull();
    expect(parseOpenHash(m![2]!)).toEqual({ path: trace, atNs: 1_500_000 });
  });

  it('refuses a missing trace and --at without --open with one line, exit 2', async () => {
    expect(await firstLine(['--open', '/nonexistent/x.scxtrace'])).toEqual({ line: 'scxray serve: --open /nonexistent/x.scxtrace: no such trace file', code: 2 });
    expect(await firstLine(['--at', '1s'])).toEqual({ line: 'scxray serve: --at needs --open TRACE', code: 2 });
  });
});
