#!/usr/bin/env node
// `npm run bench`: runs bench/main.ts through tsx. A collection can be forced (for the
// memory figure) without asking users for --expose-gc.
'use strict';
require('v8').setFlagsFromString('--expose-gc');
globalThis.gc = require('vm').runInNewContext('gc');
require('tsx/cjs');
require('../bench/main.ts');
