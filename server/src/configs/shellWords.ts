/**
 * Shell words via shell-quote, after our own variable substitution, split into simple commands.
 * Unbalanced quotes are a problem to report, not an exception.
 */
import { parse } from 'shell-quote';

export interface ShellWords {
  /** The words of the whole text (operators dropped). */
  words: string[];
  /** Simple commands, split at `&&`, `||`, `;`, `|`, `&`, with redirections removed. */
  commands: string[][];
  unbalancedQuote: boolean;
}

/**
 * One pass over a shell line: where its comment starts (`#` at the start of a word, outside
 * quotes: `$#`, `${#x}` and `"#"` are not comments), and whether a quote is left open before it.
 */
export function scanShellLine(text: string): { comment?: number; unbalancedQuote: boolean } {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return { comment: i, unbalancedQuote: false };
    else if (c === '"' || c === "'") quote = c;
  }
  return { unbalancedQuote: quote !== undefined };
}

export function hasUnbalancedQuote(text: string): boolean {
  return scanShellLine(text).unbalancedQuote;
}

export function parseShellWords(text: string): ShellWords {
  const result: ShellWords = { words: [], commands: [], unbalancedQuote: hasUnbalancedQuote(text) };
  if (result.unbalancedQuote) return result;
  let entries: ReturnType<typeof parse>;
  try {
    entries = parse(text, (name: string) => `$${name}`);
  } catch {
    result.unbalancedQuote = true;
    return result;
  }
  let current: string[] = [];
  let skipNext = false;
  for (const entry of entries) {
    if (typeof entry === 'string') {
      if (skipNext) {
        skipNext = false;
        continue;
      }
      current.push(entry);
      result.words.push(entry);
      continue;
    }
    if ('comment' in entry) break;
    if ('op' in entry) {
      const op = String(entry.op);
      if (/^(&&|\|\||;|\||&|;;|\(|\))$/.test(op)) {
        if (current.length) result.commands.push(current);
        current = [];
      } else if (/^[<>]|>&|<&/.test(op)) {
        // Redirection: drop its target word, and a bare fd number before it (`2>&1`).
        if (current.length && /^\d$/.test(current[current.length - 1])) current.pop();
        skipNext = true;
      }
      continue;
    }
  }
  if (current.length) result.commands.push(current);
  return result;
}
