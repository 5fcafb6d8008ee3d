#!/usr/bin/env node
// Launcher only: everything lives in dist/, the bundle `npm run build` makes (scripts/build.ts, run on `npm install`).
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle in the temporary folder (node-compile-cache): a start-up about
// 15% shorter on Node 22, 24 and 26 (issue 11, measured). Node 20 has no such cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();
const {main} = await import('../dist/labbox.js');

process.exitCode = await main(process.argv.slice(2));
