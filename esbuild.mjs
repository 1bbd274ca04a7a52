// Bundles the extension into two CommonJS files for Node 20:
//   dist/client.js  ← client/src/extension.ts      (vscode is provided by the editor: external)
//   dist/server.js  ← server/src/lsp/main.ts       (everything bundled, so the .vsix needs no node_modules)
//   dist/cli.js     ← server/src/cli/main.ts       (with --production, its V8 code cache beside it)
// and copies the two WebAssembly files the Python parser loads into dist/, beside server.js
// (server/src/python/parser.ts looks in __dirname first).
//
// The web-tree-sitter trap: its package "exports" give esbuild the ESM build, whose
// `import.meta.url` and top-level await break in a CJS bundle and crash the server at start.
// We alias the package to its CommonJS file instead.
//
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = path.join(root, 'dist');

// Both packages restrict their "exports", so locate them by folder rather than require.resolve.
const webTreeSitterDir = path.join(root, 'node_modules', 'web-tree-sitter');
const wasmFiles = [
  path.join(webTreeSitterDir, 'web-tree-sitter.wasm'),
  path.join(root, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm'),
];

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  metafile: true,
};

// The config parsers lazyParsers.ts loads on first use: each bundled into dist/parsers/ on its
// own, and left out of the bundles that load it, so a check that reads no YAML, JavaScript or
// TOML file never compiles them (~19 ms of a Django check).
const lazyParsers = ['yaml', 'acorn', 'smol-toml'];
/** `require('yaml')` in a bundle of dist/ becomes `require('./parsers/yaml.js')`. */
const lazyParsersBesideBundle = {
  name: 'lazy-parsers',
  setup(build) {
    const filter = new RegExp(`^(${lazyParsers.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./parsers/${args.path}.js`, external: true }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: { client: path.join(root, 'client/src/extension.ts') },
    outdir: dist,
    external: ['vscode'],
  },
  {
    ...common,
    // factWorker: the worker threads of the first workspace scan (engine.ts looks for it beside server.js).
    entryPoints: {
      server: path.join(root, 'server/src/lsp/main.ts'),
      factWorker: path.join(root, 'server/src/workspace/factWorker.ts'),
      cli: path.join(root, 'server/src/cli/main.ts'),
    },
    outdir: dist,
    alias: { 'web-tree-sitter': path.join(webTreeSitterDir, 'web-tree-sitter.cjs') },
    external: ['vscode'],
    plugins: [lazyParsersBesideBundle],
  },
  {
    ...common,
    entryPoints: Object.fromEntries(lazyParsers.map((name) => [name, name])),
    outdir: path.join(dist, 'parsers'),
  },
];

function copyWasm() {
  mkdirSync(dist, { recursive: true });
  for (const file of wasmFiles) copyFileSync(file, path.join(dist, path.basename(file)));
}

function kib(file) {
  return `${(statSync(file).size / 1024).toFixed(0)} KiB`;
}

const CODE_CACHE_NAME = /^code-[0-9a-f]{16}\.bin$/;

/**
 * The CLI bundle's V8 code cache, shipped beside it: bin/loadCli.js reads it when the user's
 * cache folder holds none (a first run), if it was made for the same bundle and Node. Made as a
 * user's is, by a run with a cache folder (here a temporary one): a check of the example
 * projects, so that it holds the functions a check compiles, not only the top level.
 */
function makeShippedCodeCache() {
  for (const name of readdirSync(dist)) if (CODE_CACHE_NAME.test(name)) rmSync(path.join(dist, name));
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-build-code-cache-'));
  try {
    const loadCli = JSON.stringify(path.join(root, 'bin', 'loadCli.js'));
    const examples = JSON.stringify(path.join(root, 'test-fixtures', 'python'));
    const run = `require(${loadCli}).loadBundle(true).main(['check', ${examples}, '--no-cache']).then((code) => process.exit(code))`;
    const r = spawnSync(process.execPath, ['-e', run], { env: { ...process.env, LOGFUNNEL_CACHE_DIR: folder }, stdio: ['ignore', 'ignore', 'inherit'] });
    const made = readdirSync(folder).filter((name) => CODE_CACHE_NAME.test(name));
    // Exit 1: the examples have findings, as they should.
    if ((r.status !== 0 && r.status !== 1) || made.length !== 1) {
      console.warn(`esbuild.mjs: no code cache shipped (the check exited ${r.status}, made ${made.length}): a first run compiles the CLI from source`);
      return;
    }
    copyFileSync(path.join(folder, made[0]), path.join(dist, made[0]));
    console.log(`dist/${made[0]}  ${kib(path.join(dist, made[0]))} (the CLI's code cache, for Node ${process.version})`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (!existsSync(path.join(root, 'server/src/lsp/main.ts'))) {
  console.error('esbuild.mjs: server/src/lsp/main.ts does not exist yet; building the client only.');
  builds.splice(1);
}

copyWasm();
if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  for (const options of builds) await esbuild.build(options);
  for (const name of ['client.js', 'server.js', ...wasmFiles.map((f) => path.basename(f))]) {
    const file = path.join(dist, name);
    if (existsSync(file)) console.log(`dist/${name}  ${kib(file)}`);
  }
  if (production && existsSync(path.join(dist, 'cli.js'))) makeShippedCodeCache();
}
