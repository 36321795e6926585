#!/usr/bin/env node
// `npm run bench`: runs bench/main.ts through tsx.
'use strict';
require('tsx/cjs');
require('../bench/main.ts');
