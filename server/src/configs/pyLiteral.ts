/**
 * Just enough of Python's literal syntax to read `args = ('logs/app.log', 'midnight')` in a
 * fileConfig file, and `key = 'value'` settings, without a Python parser (config readers are
 * synchronous and must not wait for the tree-sitter wasm).
 */

/** Splits `a, 'b,c', (d, e)` at top-level commas. */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      current += c;
      if (c === '\\' && i + 1 < text.length) current += text[++i];
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === separator && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** The value of a Python string literal (`'x'`, `"x"`, `r'x'`, `u"x"`), or undefined. */
export function pythonStringLiteral(text: string): string | undefined {
  const m = /^(?:[rRuU]|[rR][bB]|[bB][rR]|[bB])?('([^'\\]|\\.)*'|"([^"\\]|\\.)*")$/.exec(text.trim());
  if (!m) return undefined;
  const body = m[1].slice(1, -1);
  const raw = /^[rR]|^[bB][rR]/.test(text.trim());
  return raw ? body : body.replace(/\\(.)/g, (_all, ch: string) => ({ n: '\n', t: '\t' } as Record<string, string>)[ch] ?? ch);
}

/** Elements of a tuple/list literal text: `('a', 1,)` → [`'a'`, `1`]. */
export function sequenceElements(text: string): string[] {
  let t = text.trim();
  if ((t.startsWith('(') && t.endsWith(')')) || (t.startsWith('[') && t.endsWith(']'))) t = t.slice(1, -1);
  return splitTopLevel(t);
}

/** `{'filename': 'x', 'mode': 'a'}` → entries with raw value texts. */
export function dictLiteralEntries(text: string): Map<string, string> {
  const result = new Map<string, string>();
  let t = text.trim();
  if (t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  else if (/^dict\(/.test(t) && t.endsWith(')')) {
    for (const part of splitTopLevel(t.slice(5, -1))) {
      const kw = /^(\w+)\s*=\s*([\s\S]*)$/.exec(part);
      if (kw) result.set(kw[1], kw[2].trim());
    }
    return result;
  } else return result;
  for (const part of splitTopLevel(t)) {
    const colon = splitTopLevel(part, ':');
    if (colon.length < 2) continue;
    const key = pythonStringLiteral(colon[0]);
    if (key !== undefined) result.set(key, colon.slice(1).join(':').trim());
  }
  return result;
}
