#!/usr/bin/env node
// Loads the TypeScript CLI through tsx, so `npx rapport` works from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
await main(process.argv.slice(2));
