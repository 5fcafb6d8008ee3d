#!/usr/bin/env node
// Launcher only: everything lives in dist/source (built by `npm run build`, run on `npm install`).
// React's production build: the development one is several times slower at redrawing the screen.
process.env.NODE_ENV ??= 'production';
const {main} = await import('../dist/source/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
