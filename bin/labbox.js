#!/usr/bin/env node
// Launcher only: everything lives in dist/source (built by `npm run build`, run on `npm install`).
import { main } from '../dist/source/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
