#!/usr/bin/env node
'use strict';
// A reconcile's second thread starts now, while the commands load (lib/reconcile/side-thread.ts).
if (process.argv[2] === 'reconcile') require('../dist/lib/reconcile/side-thread.js').startSideThread();
require('../dist/lib/cli.js').run();
