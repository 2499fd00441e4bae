import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildCli } from './index';
import { SCXRAY_VERSION } from '../../base/version';

describe('scxray CLI shell', () => {
  it('version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SCXRAY_VERSION).toBe(pkg.version);
  });

  it('lists every subcommand in --help', () => {
    const help = buildCli().helpInformation();
    for (const cmd of ['inspect', 'run', 'replay', 'export', 'serve']) expect(help).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('serve rejects a bad port with a message naming the option', async () => {
    const cli = buildCli().exitOverride();
    let err = '';
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      await cli.parseAsync(['node', 'scxray', 'serve', '--port', 'eighty']);
    } finally {
      process.stderr.write = write;
    }
    expect(err).toContain('--port');
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
  });
});
