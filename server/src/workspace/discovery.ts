/**
 * Finds the files the analysis reads: Python sources and (through the config front-end's
 * `isConfigFile`) the files that decide processes and log configs.
 *
 * Honours `.gitignore` files on the way down, skips virtualenvs, node_modules, caches and build
 * output, follows no symlinked directory twice (symlink loops), and applies user exclude globs.
 */
import * as fs from 'fs';
import * as path from 'path';
import ignore, { Ignore } from 'ignore';

// Virtualenvs under any other name (venv/, env/) are recognised by their pyvenv.cfg, so a real
// package called `venv` (the stdlib has one) is still read.
// LC_MESSAGES: gettext's folder of .po/.mo catalogs, one per language and app (Django: 1,089 of
// its 2,554 folders, 43 % of the walk's readdirs, none holding code).
const ALWAYS_SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', '.venv', 'site-packages', 'dist', 'build', '.eggs', '.idea', '.vscode', 'LC_MESSAGES',
]);

export interface DiscoveryOptions {
  /** Glob patterns (gitignore syntax) relative to the root. */
  exclude?: string[];
  /** Decides which non-Python files to keep. */
  isOtherFile?: (file: string) => boolean;
  /** Safety net for enormous trees. */
  maxFiles?: number;
}

interface IgnoreLayer {
  /** Where the `.gitignore` lives, as `rel` of that folder plus '/' ('' for the root): cut off
   *  the front of a path relative to the root to get the path relative to the layer. */
  prefixLength: number;
  rules: Ignore;
}

interface Candidate {
  name: string;
  isDir: boolean;
  isLink: boolean;
}

/**
 * The walk is one readdir per folder and almost nothing else: paths are built by concatenation
 * (each path is its parent's plus a name), the real path of a folder is its parent's real path
 * plus its name unless the folder is itself a symlink (only those ask the file system), and a
 * path relative to the root is carried down for the ignore rules instead of being recomputed.
 */
export function discoverFiles(root: string, options: DiscoveryOptions = {}): string[] {
  const found: string[] = [];
  const maxFiles = options.maxFiles ?? 200_000;
  const isOtherFile = options.isOtherFile;
  // A rule set without rules ignores nothing; skip asking it for every entry.
  const userExcludes = options.exclude?.length ? ignore().add(options.exclude) : undefined;
  const seenDirs = new Set<string>();

  /** `rel`: the entry's path relative to the root, '/'-separated. A first component starting
   *  with '..' is never matched (as `path.relative` output starting with '..' was taken to
   *  mean "outside the folder"). */
  const ignoredBy = (layers: IgnoreLayer[], rel: string, isDir: boolean): boolean => {
    for (const layer of layers) {
      const sub = layer.prefixLength === 0 ? rel : rel.slice(layer.prefixLength);
      if (sub.startsWith('..')) continue;
      if (layer.rules.ignores(isDir ? sub + '/' : sub)) return true;
    }
    return userExcludes !== undefined && !rel.startsWith('..') && userExcludes.ignores(isDir ? rel + '/' : rel);
  };

  const walk = (dir: string, rel: string, real: string, layers: IgnoreLayer[]) => {
    if (found.length >= maxFiles) return;
    if (seenDirs.has(real)) return; // symlink loop or a directory reached twice
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // A virtualenv is recognised by its marker file, whatever its name.
    if (entries.some((e) => e.name === 'pyvenv.cfg')) return;
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const realPrefix = real.endsWith(path.sep) ? real : real + path.sep;
    let here = layers;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        here = [...layers, { prefixLength: rel ? rel.length + 1 : 0, rules: ignore().add(fs.readFileSync(prefix + '.gitignore', 'utf8')) }];
      } catch {
        /* unreadable .gitignore: keep the parent's rules */
      }
    }
    const checkIgnores = here.length > 0 || userExcludes !== undefined;
    // Entries that can matter, sorted afterwards: a stable sort of a subset keeps the order the
    // whole sorted list had, and most entries (translations, data, docs) drop out first.
    const candidates: Candidate[] = [];
    for (const entry of entries) {
      const name = entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        try {
          const stat = fs.statSync(prefix + name);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.has(name) || name.endsWith('.egg-info')) continue;
        candidates.push({ name, isDir: true, isLink });
      } else if (isFile) {
        if (name.endsWith('.py') || isOtherFile?.(prefix + name)) candidates.push({ name, isDir: false, isLink });
      }
    }
    // By UTF-16 code units, the same on every machine and locale (and `localeCompare` loads
    // ICU's collator on first use: ~5 ms of a short check).
    if (candidates.length > 1) candidates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, isDir, isLink } of candidates) {
      const full = prefix + name;
      const childRel = checkIgnores || isDir ? (rel ? rel + '/' + name : name) : '';
      if (checkIgnores && ignoredBy(here, childRel, isDir)) continue;
      if (isDir) {
        // Only a symlinked folder can lead somewhere its path does not say.
        let childReal: string;
        if (isLink) {
          try {
            childReal = fs.realpathSync(full);
          } catch {
            continue;
          }
        } else {
          childReal = realPrefix + name;
        }
        walk(full, childRel, childReal, here);
      } else {
        found.push(full);
        if (found.length >= maxFiles) return;
      }
    }
  };

  const stat = safeStat(root);
  if (stat?.isFile()) return [path.resolve(root)];
  const start = path.resolve(root);
  let startReal: string;
  try {
    startReal = fs.realpathSync(start);
  } catch {
    return found;
  }
  walk(start, '', startReal, []);
  return found;
}

function safeStat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * The module name Python would give a file, and the directory it is importable from: walk up
 * while the directory is a package (has `__init__.py`). `src/pkg/mod.py` → `pkg.mod` rooted at
 * `src/`; a script beside no `__init__.py` is a top-level module rooted at its own directory.
 */
export function moduleNameOf(file: string): { module: string; importRoot: string; isPackageInit: boolean } {
  const base = path.basename(file).replace(/\.py$/, '');
  const isPackageInit = base === '__init__';
  const dir = path.dirname(file);
  const enclosing = packageOf(dir);
  const parts = isPackageInit ? enclosing.parts : [...enclosing.parts, base];
  return { module: parts.join('.') || path.basename(dir), importRoot: enclosing.importRoot, isPackageInit };
}

/** The packages a directory is inside, outermost first (itself last when it is one), and where the outermost is importable from. */
interface PackagePath {
  parts: string[];
  importRoot: string;
}

/** Every file of a directory shares its package path: asked once per directory, not per file and level. */
const packageCache = new Map<string, PackagePath>();

function packageOf(dir: string): PackagePath {
  expireLayoutCaches();
  let known = packageCache.get(dir);
  if (known === undefined) {
    const parent = path.dirname(dir);
    if (!cachedFileExists(path.join(dir, '__init__.py'))) known = { parts: [], importRoot: dir };
    else if (parent === dir) known = { parts: [path.basename(dir)], importRoot: dir };
    else {
      const above = packageOf(parent);
      known = { parts: [...above.parts, path.basename(dir)], importRoot: above.importRoot };
    }
    packageCache.set(dir, known);
  }
  return known;
}

/**
 * `__init__.py` look-ups repeat for every file of a package; a scan asks the same directories
 * hundreds of times. Answers are kept for a second (edits to the tree show up after that).
 */
const initCache = new Map<string, boolean>();
let initCacheTime = 0;

/** Drops remembered `__init__.py` answers: a new scan must see packages made a moment ago. */
export function forgetPackageLayout(): void {
  initCache.clear();
  packageCache.clear();
  initCacheTime = Date.now();
}

function expireLayoutCaches(): void {
  if (Date.now() - initCacheTime > 1000) forgetPackageLayout();
}

function cachedFileExists(p: string): boolean {
  expireLayoutCaches();
  let hit = initCache.get(p);
  if (hit === undefined) initCache.set(p, (hit = fileExists(p)));
  return hit;
}

function fileExists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
