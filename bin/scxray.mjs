#!/usr/bin/env node
// The scxray command. Runs the TypeScript sources through tsx so a checkout
// works without a build step.
import { register } from 'tsx/esm/api';
register();
// A reader that stops early (`scxray replay … | head`) closes the pipe: that
// is the normal end of the output, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
const { main } = await import('../src/main/cli/index.ts');
await main(process.argv);
