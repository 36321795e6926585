#!/usr/bin/env node
// The `taskmgr-lab` command. Runs the TypeScript sources through tsx, so that the
// command works right after `npm install` with no build step.
'use strict';
require('tsx/cjs');
const { main } = require('../electron/cli/main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`taskmgr-lab: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
