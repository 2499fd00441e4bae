#!/usr/bin/env node
// The scxray command. Runs the TypeScript sources through tsx so a checkout
// works without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main/cli/index.ts');
await main(process.argv);
