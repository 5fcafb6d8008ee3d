#!/usr/bin/env node
// Launcher only: everything lives in dist/, the bundle `npm run build` makes (scripts/build.ts, run on `npm install`).
// React's production build: the development one is several times slower at redrawing the screen.
process.env.NODE_ENV ??= 'production';
const {main} = await import('../dist/labbox.js');

process.exitCode = await main(process.argv.slice(2));
