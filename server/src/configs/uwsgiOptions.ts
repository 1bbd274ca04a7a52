/**
 * uWSGI options as uWSGI assembles them: in order, a config file's options spliced in where the
 * command line names it (`uwsgi --ini uwsgi.ini --processes 8`: the later `processes` wins),
 * then expanded as uWSGI expands them, as far as the files tell:
 *
 * - magic variables of the file an option is written in, at once: `%d` (its directory, with a
 *   trailing slash), `%p` (its path), `%s` (its name), `%n` (name without extension), `%e` (the
 *   extension), `%c` (its directory's name), `%k` (the CPU count), `%%` (a `%`);
 * - `$(VAR)` from the environment;
 * - `%(name)` placeholders: the value of the first option written `name` (an option of uWSGI's
 *   own, or one of the user's: `workers = 4`, `set-placeholder = n=4`). Math (`%(n + 1)`),
 *   `%(_)` of `for` blocks and unknown names are left as written.
 */
import * as path from 'path';
import type { Span } from '../model/facts';
import { Environment, placeholder, substitute } from './env';
import { IniDocument, parseIni, sectionNamed } from './ini';
import { PValue, scalarText, valueOf } from './pvalue';
import { LineIndex } from './spans';
import { readYamlOrJson } from './structured';
import { canonicalUwsgiKey, UwsgiSetting } from './uwsgiSettings';

export interface UwsgiOption {
  /** As written, without leading dashes (`processes`, `workers`, `my-dir`). */
  key: string;
  value: string;
  span: Span;
}

/** The options of one section of a config file, and the line of its header. */
export interface UwsgiSection {
  options: UwsgiOption[];
  line: number;
}

/** `[uwsgi]` (or another section) of an ini file, magic variables expanded. */
export function iniSection(doc: IniDocument, lines: LineIndex, name = 'uwsgi'): UwsgiSection | undefined {
  const section = sectionNamed(doc, name);
  if (!section) return undefined;
  const options = section.entries.map((e) => option(e.key, e.value, lines.lineSpan(e.line), lines.file));
  return { options, line: section.line };
}

/** `uwsgi:` (or another top-level key) of a YAML or JSON file, magic variables expanded. */
export function yamlSection(root: PValue | undefined, file: string, name = 'uwsgi'): UwsgiSection | undefined {
  const body = valueOf(root, name);
  if (body?.kind !== 'map') return undefined;
  const options = body.entries.map((e) => option(e.key, scalarText(e.value) ?? '', e.pairSpan, file));
  return { options, line: body.span.start.line };
}

/**
 * A config file named on a command line (`--ini uwsgi.ini`, `--yaml app.yml:prod`, or a bare
 * `uwsgi.ini`), read from its text; undefined when it has no such section.
 */
export function configFileSection(file: string, text: string, section?: string): UwsgiSection | undefined {
  const lines = new LineIndex(file, text);
  if (/\.ini$/i.test(file)) return iniSection(parseIni(lines), lines, section);
  if (/\.(ya?ml|json)$/i.test(file)) return yamlSection(readYamlOrJson(lines).root, file, section);
  return undefined;
}

/** `set-placeholder = name=value` (also `set-ph`) defines the option `name`. */
function option(key: string, value: string, span: Span, file: string): UwsgiOption {
  const expanded = expandMagic(value, file);
  const placeholderSetting = /^(set-placeholder|set-ph)$/.exec(key.replace(/_/g, '-'));
  const eq = expanded.indexOf('=');
  if (placeholderSetting && eq > 0) return { key: expanded.slice(0, eq).trim(), value: expanded.slice(eq + 1).trim(), span };
  return { key, value: expanded, span };
}

/** The magic variables a config file alone determines. */
function expandMagic(value: string, file: string): string {
  if (!value.includes('%')) return value;
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const base = path.basename(absolute);
  const ext = path.extname(base);
  const magic: Record<string, string> = {
    d: `${dir}/`,
    p: absolute,
    s: base,
    n: ext ? base.slice(0, -ext.length) : base,
    e: ext.replace(/^\./, ''),
    c: path.basename(dir),
    k: placeholder.cpuCount,
    // `%%` is a literal `%` (`log-date = %%Y-%%m-%%d` keeps its `%d`).
    '%': '%',
  };
  return value.replace(/%([%dpsneck])/g, (whole, letter: string) => magic[letter] ?? whole);
}

/** uWSGI's `$(VAR)` environment expansion, written like the shell's. */
export function withEnvironment(options: UwsgiOption[], env: Environment): UwsgiOption[] {
  return options.map((o) => (o.value.includes('$(') ? { ...o, value: substitute(o.value.replace(/\$\((\w+)\)/g, '${$1}'), env).text } : o));
}

/** `%(name)` replaced by the value of the first option written `name`, itself expanded. */
export function resolvePlaceholders(options: UwsgiOption[]): UwsgiOption[] {
  const first = new Map<string, string>();
  for (const o of options) if (!first.has(o.key)) first.set(o.key, o.value);
  const expand = (value: string, depth: number): string =>
    depth > 8 ? value : value.replace(/%\((\w[\w.-]*)\)/g, (whole, name: string) => {
      const referenced = first.get(name);
      return referenced === undefined ? whole : expand(referenced, depth + 1);
    });
  return options.map((o) => (o.value.includes('%(') ? { ...o, value: expand(o.value, 0) } : o));
}

/** The settings the launch reads: canonical keys, the last value of each winning. */
export function settingsOf(options: UwsgiOption[]): Map<string, UwsgiSetting> {
  const settings = new Map<string, UwsgiSetting>();
  for (const o of options) settings.set(canonicalUwsgiKey(o.key), { value: o.value, span: o.span });
  return settings;
}
