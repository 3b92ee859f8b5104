#!/usr/bin/env node
'use strict';
require('../dist/lib/cli.js').run();
