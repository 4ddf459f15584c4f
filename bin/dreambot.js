#!/usr/bin/env node
// Thin launcher: run the TypeScript CLI through tsx's loader so `npm link` / `npx dreambot` work without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
