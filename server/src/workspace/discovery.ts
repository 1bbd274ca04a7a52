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
const ALWAYS_SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', '.venv', 'site-packages', 'dist', 'build', '.eggs', '.idea', '.vscode',
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
  dir: string;
  rules: Ignore;
}

export function discoverFiles(root: string, options: DiscoveryOptions = {}): string[] {
  const found: string[] = [];
  const maxFiles = options.maxFiles ?? 200_000;
  const userExcludes = ignore().add(options.exclude ?? []);
  const seenDirs = new Set<string>();

  const ignoredBy = (layers: IgnoreLayer[], full: string, isDir: boolean): boolean => {
    for (const layer of layers) {
      const rel = path.relative(layer.dir, full).split(path.sep).join('/');
      if (!rel || rel.startsWith('..')) continue;
      if (layer.rules.ignores(isDir ? rel + '/' : rel)) return true;
    }
    const relRoot = path.relative(root, full).split(path.sep).join('/');
    return !!relRoot && !relRoot.startsWith('..') && userExcludes.ignores(isDir ? relRoot + '/' : relRoot);
  };

  const walk = (dir: string, layers: IgnoreLayer[]) => {
    if (found.length >= maxFiles) return;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
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
    let here = layers;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        here = [...layers, { dir, rules: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        /* unreadable .gitignore: keep the parent's rules */
      }
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stat = fs.statSync(full);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || entry.name.endsWith('.egg-info')) continue;
        if (ignoredBy(here, full, true)) continue;
        walk(full, here);
      } else if (isFile) {
        const wanted = entry.name.endsWith('.py') || options.isOtherFile?.(full);
        if (!wanted) continue;
        if (ignoredBy(here, full, false)) continue;
        found.push(full);
        if (found.length >= maxFiles) return;
      }
    }
  };

  const stat = safeStat(root);
  if (stat?.isFile()) return [path.resolve(root)];
  walk(path.resolve(root), []);
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
export function moduleNameOf(file: string, isFile: (p: string) => boolean = cachedFileExists): { module: string; importRoot: string; isPackageInit: boolean } {
  const base = path.basename(file).replace(/\.py$/, '');
  const isPackageInit = base === '__init__';
  const parts: string[] = isPackageInit ? [] : [base];
  let dir = path.dirname(file);
  while (isFile(path.join(dir, '__init__.py'))) {
    parts.unshift(path.basename(dir));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { module: parts.join('.') || path.basename(path.dirname(file)), importRoot: dir, isPackageInit };
}

/**
 * `__init__.py` look-ups repeat for every file of a package; a scan asks the same directories
 * hundreds of times. Answers are kept for a second (edits to the tree show up after that).
 */
const initCache = new Map<string, boolean>();
let initCacheTime = 0;

function cachedFileExists(p: string): boolean {
  const now = Date.now();
  if (now - initCacheTime > 1000) {
    initCache.clear();
    initCacheTime = now;
  }
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
