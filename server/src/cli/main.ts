/**
 * `logfunnel check [PATH...] [--format text|json|sarif] [--exclude GLOB]...`
 * Exit status: 0 clean, 1 findings, 2 usage or internal error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisEngine, EngineOptions, StoredRun } from '../workspace/engine';

// The engine is the package's programmatic API too (the benchmark loads it from this bundle).
export { AnalysisEngine };

/** What a check sets beyond its roots, excludes and cache (the benchmark runs the engine as `check` does). */
export const CHECK_ENGINE_OPTIONS = { oneShot: true, cacheFromSecondCheck: true } as const satisfies Partial<EngineOptions>;
import { defaultCacheDir } from '../workspace/factCache';
import { toJson, toSarif, toText } from './formats';
import type * as FixModule from './fix';
import { STRATEGIES, FixStrategy } from '../fixes/types';

const USAGE = `usage: logfunnel check [PATH...] [--format text|json|sarif] [--exclude GLOB]... [--fix[=STRATEGY]]
                       [--no-cache] [--cache-dir DIR]

--fix applies the preferred safe fix of every finding; --fix=STRATEGY (funnel, queue, server,
locking, framework, rule) applies that strategy's fix, unsafe ones included.
Facts of unchanged files are kept between runs in DIR (default: $LOGFUNNEL_CACHE_DIR, else
~/.cache/logfunnel); --no-cache reads every file.

Finds Python log files written by several processes at once.
Exit status: 0 no findings, 1 findings, 2 usage or internal error.`;

interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  exclude: string[];
  /** `--fix`: true (preferred safe fixes) or the strategy named with `--fix=STRATEGY`. */
  fix?: true | FixStrategy;
  /** Where facts are cached between runs; undefined with `--no-cache`. */
  cacheDir?: string;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CheckArgs {
  const [command, ...rest] = argv;
  if (command !== 'check') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
  const args: CheckArgs = { paths: [], format: 'text', exclude: [], cacheDir: defaultCacheDir() };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq !== -1) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format '${f}' (text, json or sarif)`);
      args.format = f;
    } else if (a === '--exclude' || a.startsWith('--exclude=')) {
      args.exclude.push(value('--exclude'));
    } else if (a === '--fix') {
      args.fix = true;
    } else if (a.startsWith('--fix=')) {
      const s = a.slice('--fix='.length) as FixStrategy;
      if (!STRATEGIES.includes(s)) throw new UsageError(`unknown fix strategy '${s}' (${STRATEGIES.join(', ')})`);
      args.fix = s;
    } else if (a === '--no-cache') {
      args.cacheDir = undefined;
    } else if (a === '--cache-dir' || a.startsWith('--cache-dir=')) {
      args.cacheDir = path.resolve(value('--cache-dir'));
    } else if (a === '-h' || a === '--help') {
      throw new UsageError('');
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      args.paths.push(a);
    }
  }
  if (args.paths.length === 0) args.paths.push('.');
  for (const p of args.paths) if (!fs.existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
  return args;
}

export async function runCheck(args: CheckArgs, out: (s: string) => void): Promise<number> {
  const t0 = performance.now();
  const roots = args.paths.map((p) => path.resolve(p));
  const engine = new AnalysisEngine({ roots, exclude: args.exclude, cacheDir: args.cacheDir, ...CHECK_ENGINE_OPTIONS });
  const root = roots.length === 1 && fs.statSync(roots[0]).isDirectory() ? roots[0] : process.cwd();
  // Nothing changed since the last check: its findings stand (a fix needs the full analysis).
  let result: StoredRun | undefined = args.fix ? undefined : engine.storedRun();
  if (!result) {
    await engine.loadAll();
    const analysed = engine.analyze();
    result = analysed;
    if (args.fix) {
      // Loaded for --fix alone: the fixes and what they load (child_process among them) are
      // no part of a check.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { describeFixes, fixWorkspace } = require('./fix') as typeof FixModule;
      const run = await fixWorkspace(engine, args.fix === true ? undefined : args.fix);
      result = run.result;
      (args.format === 'text' ? out : (s: string) => process.stderr.write(s + '\n'))(describeFixes(run, root));
    } else {
      engine.rememberRun(analysed);
    }
  }
  const ms = performance.now() - t0;
  if (args.format === 'json') out(JSON.stringify(toJson(result, root, ms), null, 2));
  else if (args.format === 'sarif') out(JSON.stringify(toSarif(result, root, version()), null, 2));
  else out(toText(result, root));
  // After the output: the user reads the result while the cache is written.
  await engine.saveCacheInBackground();
  return result.findings.length > 0 ? 1 : 0;
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await runCheck(parseArgs(argv), (s) => process.stdout.write(s + '\n'));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write((e.message ? `logfunnel: ${e.message}\n\n` : '') + USAGE + '\n');
      return 2;
    }
    process.stderr.write(`logfunnel: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
