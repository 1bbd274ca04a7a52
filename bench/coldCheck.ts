/**
 * The child program of the benchmark's cold series (bench/analyzer.ts): one `logfunnel check`
 * run in a fresh process, reported as one line of JSON.
 *
 *   node out/bench/coldCheck.js cold|cold-no-code-cache ROOT [CACHE_DIR]
 *
 * With CACHE_DIR, a check as `logfunnel check` runs by default: its facts cache in CACHE_DIR
 * (read, and written at the end, from the second check of the tree on; the first leaves a mark,
 * checkedBefore.ts). Without, `--no-cache`: no facts cache read or written. Either way the bundle
 * is loaded as bin/loadCli.js loads it, with a V8 code cache: the one in $LOGFUNNEL_CACHE_DIR, or
 * the one shipped beside the bundle (`cold-no-code-cache`: compiled from source, as where the
 * shipped one does not fit the Node that runs it).
 *
 * A file of its own, importing nothing but Node's modules, so that the process pays for the
 * shipped bundle and nothing else, as `logfunnel check` does. Run as a mode of analyzer.js, each
 * cold run also loaded that file and its imports: ~9 ms more than the CLI on Django.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AnalysisEngine as Engine } from '../server/src/workspace/engine';
import type { CHECK_ENGINE_OPTIONS } from '../server/src/cli/main';

/* eslint-disable @typescript-eslint/no-require-imports */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface ColdReport {
  files: number;
  pyFiles: number;
  lines: number;
  findings: number;
  problems: number;
  loadMs: number;
  analyzeMs: number;
  /** Writing the facts cache and the stored run (0 without a cache). */
  saveMs?: number;
  cpuMs: number;
  rssMb: number;
  cacheHits?: number;
  /** The findings came from the stored run of an unchanged workspace: nothing was read. */
  storedRun?: boolean;
}

/**
 * The engine as users run it: the CLI bundle (dist/cli.js, one file, as in the .vsix and the npm
 * package) when it was built, else the tsc output. Loading ~100 separate modules of out/ costs
 * a few hundred ms that no user pays.
 */
export const BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');
/**
 * The engine class and the options `logfunnel check` gives it, from the bundle when there is one,
 * loaded as bin/logfunnel.js loads it: with its V8 code cache (`useCodeCache`), or compiled from
 * source.
 */
function shippedEngine(useCodeCache: boolean): { Engine: typeof Engine; checkOptions: typeof CHECK_ENGINE_OPTIONS } {
  const { loadBundle } = require(path.join(REPO_ROOT, 'bin', 'loadCli.js')) as { loadBundle: (useCodeCache: boolean) => unknown };
  const cli = (fs.existsSync(BUNDLE) ? loadBundle(useCodeCache) : require('../server/src/cli/main')) as typeof import('../server/src/cli/main');
  return { Engine: cli.AnalysisEngine, checkOptions: cli.CHECK_ENGINE_OPTIONS };
}

/** This process's CPU time and peak RSS until now. */
function resourcesSoFar(): Pick<ColdReport, 'cpuMs' | 'rssMb'> {
  const usage = process.resourceUsage();
  return { cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, rssMb: usage.maxRSS / 1024 };
}

/** One `logfunnel check`-like run; with `cacheDir`, facts come from and go to that cache. */
async function childCold(root: string, cacheDir: string | undefined, codeCache: boolean): Promise<ColdReport> {
  const t0 = performance.now();
  const { Engine, checkOptions } = shippedEngine(codeCache);
  const engine = new Engine({ roots: [root], cacheDir, ...checkOptions });
  // As `logfunnel check` does: an unchanged workspace shows the stored run (runCache.ts).
  const stored = cacheDir ? engine.storedRun() : undefined;
  if (stored) {
    return {
      files: stored.stats.files,
      pyFiles: stored.stats.files,
      lines: stored.stats.lines,
      findings: stored.findings.length,
      problems: stored.problems.length,
      loadMs: performance.now() - t0,
      analyzeMs: 0,
      ...resourcesSoFar(),
      cacheHits: stored.stats.files,
      storedRun: true,
    };
  }
  await engine.loadAll();
  const t1 = performance.now();
  const result = engine.analyze();
  const t2 = performance.now();
  if (cacheDir) engine.rememberRun(result);
  await engine.saveCacheInBackground();
  const t3 = performance.now();
  return {
    files: result.stats.files,
    pyFiles: engine.fileList().filter((f) => f.endsWith('.py')).length,
    lines: result.stats.lines,
    findings: result.findings.length,
    problems: result.problems.length,
    loadMs: t1 - t0,
    analyzeMs: t2 - t1,
    saveMs: t3 - t2,
    ...resourcesSoFar(),
    cacheHits: engine.cacheStats()?.hits,
  };
}

async function main(argv: string[]): Promise<void> {
  const [mode, root, cacheDir] = argv;
  let report: ColdReport;
  if (mode === 'cold') report = await childCold(root, cacheDir || undefined, true);
  else if (mode === 'cold-no-code-cache') report = await childCold(root, cacheDir || undefined, false);
  else throw new Error(`unknown mode ${mode} (cold or cold-no-code-cache)`);
  process.stdout.write(JSON.stringify(report) + '\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(2);
  });
}
