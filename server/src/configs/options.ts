/**
 * Command-line option scanning shared by the program readers: `-w 4`, `-w4`, `--workers 4`,
 * `--workers=4`, flags, and positionals.
 */

export interface OptionSpec {
  /** Option names taking a value, e.g. `['-w', '--workers']` per setting. */
  valued: Record<string, string[]>;
  /** Flags, per setting. */
  flags?: Record<string, string[]>;
}

export interface ScannedOptions {
  values: Map<string, string>;
  /** Per valued setting, the option name as written (`--nproc-per-node` or `--nproc_per_node`). */
  written: Map<string, string>;
  flags: Set<string>;
  positionals: string[];
}

/**
 * `untilPositional`: the options end at the first positional, as for a launcher whose program's
 * own options follow it (`torchrun --nproc-per-node 4 train.py --log-dir x`): it and the words
 * after it are the positionals.
 */
export function scanOptions(argv: string[], spec: OptionSpec, { untilPositional = false } = {}): ScannedOptions {
  const byName = new Map<string, { setting: string; valued: boolean }>();
  for (const [setting, names] of Object.entries(spec.valued)) for (const n of names) byName.set(n, { setting, valued: true });
  for (const [setting, names] of Object.entries(spec.flags ?? {})) for (const n of names) byName.set(n, { setting, valued: false });
  const result: ScannedOptions = { values: new Map(), written: new Map(), flags: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      result.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      if (untilPositional) {
        result.positionals.push(...argv.slice(i));
        break;
      }
      result.positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq === -1 ? word : word.slice(0, eq);
    const known = byName.get(name);
    if (known) {
      if (!known.valued) result.flags.add(known.setting);
      else if (eq !== -1) result.values.set(known.setting, word.slice(eq + 1));
      else if (i + 1 < argv.length) result.values.set(known.setting, argv[++i]);
      if (known.valued) result.written.set(known.setting, name);
      continue;
    }
    // Short option glued to its value: `-w4`, `-c8`.
    if (/^-[A-Za-z]./.test(word) && !word.startsWith('--')) {
      const glued = byName.get(word.slice(0, 2));
      if (glued?.valued) {
        result.values.set(glued.setting, word.slice(2));
        continue;
      }
    }
    // Unknown option: if the next word is not an option it may be its value; we cannot tell,
    // so unknown long options with `=` are skipped and others are treated as flags.
  }
  return result;
}
