#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a checkout, or the compiled build where the sources
// are absent (the container image ships dist/ only). Preferring sources avoids running a stale dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source);
} else {
  await import(fileURLToPath(new URL('../dist/src/main.js', import.meta.url)));
}
