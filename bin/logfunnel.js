#!/usr/bin/env node
// The CLI: `logfunnel check [PATH...] [--format text|json|sarif]` (loadCli.js says which build runs).
'use strict';
const { loadCli } = require('./loadCli');

const args = process.argv.slice(2);
// The V8 code cache of the bundle is the program's, not the workspace's: `--no-cache` (read every
// file) keeps it. LOGFUNNEL_NO_CODE_CACHE=1 compiles from source, for measuring a first run.
const { main } = loadCli(process.env.LOGFUNNEL_NO_CODE_CACHE !== '1');
main(args).then((code) => process.exit(code));
