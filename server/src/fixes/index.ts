/**
 * Findings → fix offers. Computed once per analysis, next to the diagnostics (as Ruff carries
 * its edits in `diagnostic.data`), so a code action is a lookup.
 */
import * as path from 'path';
import type { Finding } from '../model/findings';
import { DROP_IN, LOCKING, shortPathLabel } from './dropIns';
import { rewriteCodeHandler } from './funnelCode';
import { rewriteConfigClass } from './funnelConfig';
import { frameworkFixes } from './framework';
import { ruleFixes } from './ruleFixes';
import { logServerFix } from './logServer';
import { queueFix } from './queueFix';
import { childrenFixes } from './childrenFixes';
import { editKey, type FixContext, type FixEdit, type FixOffer, type FixStrategy, type TextFileEdit } from './types';

export * from './types';

export function fixesFor(finding: Finding, ctx: FixContext): FixOffer[] {
  try {
    if ((finding.rule === 'LF001' || finding.rule === 'LF002') && finding.handler) return handlerFixes(finding, ctx).map(joinInsertions);
    if (finding.hazard) return [...ruleFixes(finding.hazard, ctx), ...childrenFixes(finding, ctx)].map(joinInsertions);
  } catch {
    // A fix that cannot be computed is not offered; the diagnostic stays.
  }
  return [];
}

/** The analysis proved the writers, and every writer process leaves through a flushing exit. */
function provenAndFlushed(finding: Finding): boolean {
  if (finding.severity !== 'warning') return false;
  return !(finding.starts ?? []).some((start) => start.mechanism === 'os.fork');
}

function handlerFixes(finding: Finding, ctx: FixContext): FixOffer[] {
  const handler = finding.handler!;
  const label = shortPathLabel(handler.path);
  const offers: FixOffer[] = [];
  const rewrite = (table: Record<string, string>) => {
    if (handler.origin === 'config') {
      const edits = rewriteConfigClass(handler, ctx, table);
      return edits && { edits, caveat: undefined as string | undefined };
    }
    return rewriteCodeHandler(handler, ctx, table);
  };
  const funnel = rewrite(DROP_IN);
  if (funnel) {
    const vendoring = vendorEdits(handler.span.file, ctx);
    offers.push({
      title: `logfunnel (${finding.rule}): Funnel ${label} through one writer`,
      strategy: 'funnel',
      // The drop-in keeps the stdlib signature and semantics and loses no record (docs/rules,
      // Fix safety): unsafe when a subclass writes or rotates by itself, when the finding is
      // not proven, or when a bare os.fork() child may leave through os._exit() unflushed.
      safety: funnel.caveat || !provenAndFlushed(finding) ? 'unsafe' : 'safe',
      edits: [...funnel.edits, ...vendoring.edits],
      note: [funnel.caveat, vendoring.note].filter(Boolean).join('. ') || undefined,
    });
  }
  if (handler.kind === 'rotating-size' || handler.kind === 'rotating-time') {
    const locking = rewrite(LOCKING);
    if (locking) {
      const vendoring = vendorEdits(handler.span.file, ctx);
      offers.push({
        title: `logfunnel (${finding.rule}): Lock ${label} on every write (for network filesystems)`,
        strategy: 'locking',
        // Every writer must take the lock: safe only when no other site opens the same file.
        safety: locking.caveat || (finding.peers?.length ?? 0) > 0 ? 'unsafe' : 'safe',
        edits: [...locking.edits, ...vendoring.edits],
        note: ['Every process writes under a file lock: slower than the funnel, but needs no writer process (use it where the log directory is shared over NFS/SMB)', locking.caveat, vendoring.note].filter(Boolean).join('. '),
      });
    }
  }
  offers.push(...queueFix(finding, ctx));
  for (const offer of logServerFix(handler, ctx, finding.rule)) {
    // The sending side is logfunnel's BufferingSocketHandler: the runtime must be importable.
    const vendoring = vendorEdits(handler.span.file, ctx);
    offers.push({ ...offer, edits: [...offer.edits, ...vendoring.edits], note: [offer.note, vendoring.note].filter(Boolean).join('. ') });
  }
  offers.push(...frameworkFixes(handler, ctx, finding.rule));
  return offers;
}

function vendorEdits(file: string, ctx: FixContext): { edits: FixEdit[]; note?: string } {
  const runtime = ctx.runtime;
  if (!runtime || runtime.importable) return { edits: [] };
  const root = ctx.rootOf(file);
  const files = runtime.vendorFiles();
  if (!files.length) return { edits: [], note: 'logfunnel is not importable here: install it with `pip install logfunnel`' };
  return {
    edits: files.map((f) => ({ file: path.join(root, f.name), create: true as const, text: f.text, vendorRoot: root })),
    note: `logfunnel is not importable by the workspace's python, so the fix adds a copy of the package in ${path.join(path.basename(root), 'logfunnel')}/`,
  };
}

/** What fix-all applies for one finding: the preferred offer when safe, else the first safe one. */
export function fixAllChoice(offers: FixOffer[], strategy: FixStrategy = 'funnel'): FixOffer | undefined {
  const best = preferredOffer(offers, strategy);
  return best?.safety === 'safe' ? best : offers.find((o) => o.safety === 'safe');
}

/** The offer a client should prefer: the configured strategy when offered, else the first safe one. */
export function preferredOffer(offers: FixOffer[], strategy: FixStrategy = 'funnel'): FixOffer | undefined {
  return offers.find((o) => o.strategy === strategy) ?? offers.find((o) => o.safety === 'safe') ?? offers[0];
}

/**
 * Merges the edits of several offers into one edit list: identical edits (the shared
 * `import logfunnel`, the vendored files) once, and an offer whose edits would overlap an
 * already-taken one is left out whole.
 */
export function mergeOffers(offers: FixOffer[]): { edits: FixEdit[]; taken: FixOffer[] } {
  const edits: FixEdit[] = [];
  const taken: FixOffer[] = [];
  const seen = new Set<string>();
  for (const offer of offers) {
    const fresh = offer.edits.filter((e) => !seen.has(editKey(e)));
    const clash = fresh.some((e) => !e.create && edits.some((t) => !t.create && t.file === e.file && overlaps(t, e)));
    if (clash) continue;
    for (const e of fresh) {
      seen.add(editKey(e));
      edits.push(e);
    }
    taken.push(offer);
  }
  return { edits, taken };
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: TextFileEdit, b: TextFileEdit): boolean {
  if (before(a.range.start, b.range.end) && before(b.range.start, a.range.end)) return true;
  // Two insertions at one point would apply in an unspecified order: a clash too.
  const insertion = (e: TextFileEdit) => samePos(e.range.start, e.range.end);
  return insertion(a) && insertion(b) && samePos(a.range.start, b.range.start);
}

function samePos(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line === b.line && a.character === b.character;
}

/** Applies text edits to one file's text (edits must not overlap). */
export function applyTextEdits(text: string, edits: TextFileEdit[]): string {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; character: number }) =>
    p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start) || offset(b.range.end) - offset(a.range.end));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * Two insertions at one point apply in an order clients disagree on; one insertion with both
 * texts (in the offer's order) is unambiguous.
 */
function joinInsertions(offer: FixOffer): FixOffer {
  const out: FixEdit[] = [];
  for (const e of offer.edits) {
    const twin = e.create ? undefined : out.find((o): o is TextFileEdit =>
      !o.create && o.file === e.file && samePos(o.range.start, e.range.start) && samePos(o.range.end, e.range.end) && samePos(e.range.start, e.range.end));
    if (twin && !e.create) twin.newText += e.newText;
    else out.push(e.create ? e : { ...e });
  }
  return { ...offer, edits: out };
}
