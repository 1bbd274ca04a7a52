#!/usr/bin/env node
// The CLI: `logfunnel check [PATH...] [--format text|json|sarif]` (loadCli.js says which build runs).
'use strict';
const { loadCli } = require('./loadCli');

const args = process.argv.slice(2);
const { main } = loadCli(!args.includes('--no-cache'));
main(args).then((code) => process.exit(code));
