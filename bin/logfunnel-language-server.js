#!/usr/bin/env node
// Starts the logfunnel language server for editors other than VS Code (Neovim, Helix, Emacs...):
//   npx logfunnel-language-server --stdio
// Prefers the esbuild bundle (dist/server.js, what the .vsix ships), else the tsc output
// (out/server/src/lsp/main.js, what `npm install` builds through `prepare`). The transport flag is
// read by vscode-languageserver's createConnection(): --stdio, --node-ipc, --socket=PORT,
// --pipe=NAME; with none given we default to --stdio, which is what editors spawn.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const candidates = [path.join(root, 'dist', 'server.js'), path.join(root, 'out', 'server', 'src', 'lsp', 'main.js')];
const entry = candidates.find((file) => fs.existsSync(file));
if (!entry) {
  process.stderr.write(`logfunnel-language-server: no server build found (looked for ${candidates.join(' and ')}).\nRun "npm run bundle" or "npm run build" first.\n`);
  process.exit(2);
}

const transports = ['--stdio', '--node-ipc', '--socket', '--pipe'];
if (!process.argv.slice(2).some((arg) => transports.some((t) => arg === t || arg.startsWith(`${t}=`)))) {
  process.argv.push('--stdio');
}
require(entry);
