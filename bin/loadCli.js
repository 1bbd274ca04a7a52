'use strict';
// Loads the CLI: the bundle (dist/cli.js: one file, starts fastest, what the package ships)
// unless the tsc output in a development checkout is newer, i.e. the sources changed since the
// last bundle.
//
// The bundle is compiled with a V8 code cache kept in the user's cache folder: a check is a
// short process, and compiling the ~430 KB bundle from source took ~20 ms of every run (a tenth
// of a check of an unchanged workspace). V8 checks the cache against the source and its own
// version and rejects one that does not fit; anything that goes wrong falls back to require().
// Like the facts cache (server/src/workspace/checkedBefore.ts), it is written only where
// logfunnel ran before: a run that finds no cache folder at all (a fresh CI container) would
// never see its code cache again, and writing one took ~9 ms of Django's ~0.23 s check.
//
// The production build ships one beside the bundle (dist/code-<key>.bin, made by esbuild.mjs
// with a check of the example projects), as pip compiles .pyc files at install: with the Node
// the package was built with, even the first run in a fresh container starts compiled. Its name
// holds the same key as the user's, so another Node finds no file to read; if V8 rejects it
// anyway, a user's cache is made as before.
const path = require('path');
const fs = require('fs');
const os = require('os');
const vm = require('vm');
const crypto = require('crypto');
const Module = require('module');

const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const compiled = path.join(__dirname, '..', 'out', 'server', 'src', 'cli', 'main.js');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** As factCache.ts's defaultCacheDir (this runs before the bundle is loaded). */
function cacheFolder() {
  if (process.env.LOGFUNNEL_CACHE_DIR) return process.env.LOGFUNNEL_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) || path.join(os.homedir(), '.cache');
  return path.join(base, 'logfunnel');
}

function readIfThere(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** A code cache's name: for this Node and this bundle's text (V8 would reject another). */
function codeCacheName(source) {
  return `code-${crypto.createHash('sha1').update(process.version).update(source).digest('hex').slice(0, 16)}.bin`;
}

/** Where the build puts the code cache of bundle `file` (text `source`) for the Node running now. */
function shippedCodeCachePath(file, source) {
  return path.join(path.dirname(file), codeCacheName(source));
}

/** The code cache the build shipped beside the bundle for the Node running now, if there is one. */
function shippedCodeCache(file = bundled) {
  const shipped = shippedCodeCachePath(file, fs.readFileSync(file, 'utf8'));
  return fs.existsSync(shipped) ? shipped : undefined;
}

/** The bundle's exports, from its code cache when there is a fitting one. */
function loadWithCodeCache(file) {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = path.join(cacheFolder(), codeCacheName(source));
  let cachedData;
  let ranHereBefore = true;
  let shipped = false;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = readIfThere(shippedCodeCachePath(file, source));
    shipped = cachedData !== undefined;
    ranHereBefore = fs.existsSync(path.dirname(cacheFile));
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, (id) => bundle.require(id), bundle, file, path.dirname(file));
  bundle.loaded = true;
  if (cachedData !== undefined && !script.cachedDataRejected && !shipped) {
    // In use: the cache janitor (server/src/workspace/cacheJanitor.ts) removes code caches
    // unused for a month, as those of earlier builds.
    try {
      const now = new Date();
      fs.utimesSync(cacheFile, now, now);
    } catch {
      /* read-only: it ages */
    }
  }
  if ((cachedData === undefined || script.cachedDataRejected) && ranHereBefore) {
    // Made at exit, so that it holds the functions this run compiled too, not only the top level.
    process.once('exit', () => {
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
        const temporary = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(temporary, script.createCachedData());
        fs.renameSync(temporary, cacheFile);
      } catch {
        /* a read-only or full disk: the next run compiles again */
      }
    });
  }
  return bundle.exports;
}

/** The bundle's exports; `useCodeCache` false: a plain require (what `--no-cache` asks for). */
function loadBundle(useCodeCache = true) {
  if (useCodeCache) {
    try {
      return loadWithCodeCache(bundled);
    } catch {
      /* fall through to a plain load */
    }
  }
  return require(bundled);
}

/** The CLI module's exports (`main`, `runCheck`, `AnalysisEngine`, `CHECK_ENGINE_OPTIONS`). */
function loadCli(useCodeCache = true) {
  return mtime(bundled) < mtime(compiled) ? require(compiled) : loadBundle(useCodeCache);
}

module.exports = { loadCli, loadBundle, bundled, shippedCodeCache };
