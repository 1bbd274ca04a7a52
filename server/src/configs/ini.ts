/**
 * An ini reader with Python configparser's semantics, keeping the line of every key:
 * `[section]` headers, `key = value` and `key: value`, indented continuation lines, `;` and `#`
 * full-line comments (no inline comments, as configparser's default), keys lower-cased,
 * `%(x)s` interpolation left as text. Used for fileConfig files, uwsgi.ini, supervisord.conf
 * and systemd units (which share the shape).
 */
import type { Span } from '../model/facts';
import { LineIndex } from './spans';

export interface IniEntry {
  key: string;
  value: string;
  /** The `key = value` line (first line of a continued value). */
  line: number;
}

export interface IniSection {
  name: string;
  line: number;
  entries: IniEntry[];
}

export interface IniDocument {
  sections: IniSection[];
  problems: { span: Span; message: string }[];
}

export interface IniOptions {
  /** configparser lower-cases keys; systemd and supervisord keys are case-sensitive in meaning. */
  lowerCaseKeys?: boolean;
  /** systemd allows `\` at end of line to continue. */
  backslashContinuation?: boolean;
  /** Strip `;`/`#` comments after whitespace inside values (supervisord, uwsgi do). */
  inlineComments?: boolean;
}

export function parseIni(lines: LineIndex, options: IniOptions = {}): IniDocument {
  const lowerCaseKeys = options.lowerCaseKeys ?? true;
  const doc: IniDocument = { sections: [], problems: [] };
  let section: IniSection | undefined;
  let last: IniEntry | undefined;
  let continuing = false;
  for (let line = 0; line < lines.lineCount; line++) {
    const raw = lines.lineText(line);
    const trimmed = raw.trim();
    if (continuing && last) {
      // systemd-style continuation: the previous line ended with a backslash.
      last.value = `${last.value} ${stripTrailingBackslash(trimmed)}`.trim();
      continuing = Boolean(options.backslashContinuation) && trimmed.endsWith('\\');
      continue;
    }
    if (trimmed === '' ) {
      last = undefined;
      continue;
    }
    if (/^[;#]/.test(trimmed)) continue;
    if (/^\s/.test(raw) && last) {
      // configparser: an indented line continues the previous value.
      last.value = `${last.value}\n${trimmed}`;
      continue;
    }
    const header = /^\[([^\]]*)\]\s*([;#].*)?$/.exec(trimmed);
    if (header) {
      section = { name: header[1].trim(), line, entries: [] };
      doc.sections.push(section);
      last = undefined;
      continue;
    }
    const separator = trimmed.search(/[=:]/);
    const pair = separator > 0 ? [trimmed, trimmed.slice(0, separator).trim(), trimmed.slice(separator + 1).trim()] : undefined;
    if (!pair) {
      doc.problems.push({ span: lines.lineSpan(line), message: `line ${line + 1} is neither a [section], a key = value pair nor a comment` });
      last = undefined;
      continue;
    }
    if (!section) {
      doc.problems.push({ span: lines.lineSpan(line), message: `key '${pair[1]}' before any [section] header` });
      continue;
    }
    let value = pair[2];
    if (options.inlineComments) value = value.replace(/\s[;#].*$/, '').trimEnd();
    continuing = Boolean(options.backslashContinuation) && value.trimEnd().endsWith('\\');
    if (continuing) value = stripTrailingBackslash(value);
    last = { key: lowerCaseKeys ? pair[1].toLowerCase() : pair[1], value: value.trim(), line };
    section.entries.push(last);
  }
  return doc;
}

function stripTrailingBackslash(text: string): string {
  return text.replace(/\\$/, '').trim();
}

export function sectionNamed(doc: IniDocument, name: string): IniSection | undefined {
  return doc.sections.find((s) => s.name === name);
}

/** The last value of a key in a section (configparser: later duplicates win). */
export function entryNamed(section: IniSection | undefined, key: string): IniEntry | undefined {
  if (!section) return undefined;
  for (let i = section.entries.length - 1; i >= 0; i--) if (section.entries[i].key === key) return section.entries[i];
  return undefined;
}

/** All values of a repeated key (systemd `Environment=` lines accumulate). */
export function entriesNamed(section: IniSection | undefined, key: string): IniEntry[] {
  return section ? section.entries.filter((e) => e.key === key) : [];
}
