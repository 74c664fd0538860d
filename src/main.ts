#!/usr/bin/env node
// Entry point of the `rackd` command.
import { runCli } from './cli/index.ts';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
