#!/usr/bin/env node
// The CLI: `logfunnel check [PATH...] [--format text|json|sarif]`.
'use strict';
const path = require('path');
const fs = require('fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const compiled = path.join(__dirname, '..', 'out', 'server', 'src', 'cli', 'main.js');
const { main } = require(fs.existsSync(compiled) ? compiled : bundled);
main(process.argv.slice(2)).then((code) => process.exit(code));
