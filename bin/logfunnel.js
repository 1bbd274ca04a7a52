#!/usr/bin/env node
// The CLI: `logfunnel check [PATH...] [--format text|json|sarif]`.
// Runs the bundle (dist/cli.js: one file, starts fastest, what the package ships) unless the
// tsc output in a development checkout is newer, i.e. the sources changed since the last bundle.
'use strict';
const path = require('path');
const fs = require('fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const compiled = path.join(__dirname, '..', 'out', 'server', 'src', 'cli', 'main.js');
const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};
const { main } = require(mtime(bundled) >= mtime(compiled) ? bundled : compiled);
main(process.argv.slice(2)).then((code) => process.exit(code));
