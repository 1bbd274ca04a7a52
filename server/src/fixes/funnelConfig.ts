/**
 * Funnel (and locking) strategy for handlers declared in log configs: the `class` value on
 * the declaration's line is renamed, whatever the format (.ini `class = handlers.X`, dict,
 * YAML, JSON, TOML, Django `LOGGING`): each of them names the class by the same dotted string.
 */
import type { HandlerSite } from '../model/facts';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, TextFileEdit } from './types';

/** `handlers.RotatingFileHandler`, `logging.handlers.RotatingFileHandler`, `logging.FileHandler`... */
const CLASS_VALUE = /(?<![\w.])((?:logging\.)?(?:handlers\.)?)(TimedRotatingFileHandler|RotatingFileHandler|WatchedFileHandler|FileHandler)(?![\w.])/;

export function rewriteConfigClass(handler: HandlerSite, ctx: FixContext, table: Record<string, string>): TextFileEdit[] | undefined {
  const text = ctx.readText(handler.span.file);
  if (text === undefined) return undefined;
  const index = new LineIndex(handler.span.file, text);
  for (let line = handler.span.start.line; line <= handler.span.end.line && line < index.lineCount; line++) {
    const lineText = stripComment(index.lineText(line));
    const m = CLASS_VALUE.exec(lineText);
    if (!m || !/\bclass\b/.test(lineText.slice(0, m.index))) continue;
    const target = table[m[2]];
    if (!target) return undefined;
    return [{
      file: handler.span.file,
      range: { start: { line, character: m.index }, end: { line, character: m.index + m[0].length } },
      newText: `logfunnel.${target}`,
    }];
  }
  return undefined;
}

/** Drops a trailing `# ...` comment (not inside quotes) so a class named in a comment is ignored. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' || (c === ';' && i === 0)) return line.slice(0, i);
  }
  return line;
}
