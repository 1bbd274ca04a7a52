/**
 * `logfunnel check --fix[=STRATEGY]`: applies the preferred safe offer of every finding (or the
 * named strategy's offer, unsafe ones included since the user asked for them by name) to the
 * files on disk, re-analyses, and repeats while something changes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisEngine, AnalysisResult } from '../workspace/engine';
import { pythonParser } from '../python/parser';
import { applyTextEdits, fixAllChoice, mergeOffers } from '../fixes/index';
import { offersForResult } from '../fixes/workspaceFixes';
import type { FixEdit, FixOffer, FixStrategy, TextFileEdit } from '../fixes/types';

export interface FixRun {
  result: AnalysisResult;
  applied: { offer: FixOffer; files: string[]; created: number }[];
}

const MAX_ROUNDS = 5;

export async function fixWorkspace(engine: AnalysisEngine, strategy: FixStrategy | undefined): Promise<FixRun> {
  const parser = await pythonParser();
  await engine.init(); // a run served wholly from the facts cache has not loaded it
  const applied: FixRun['applied'] = [];
  let result = engine.analyze();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const offers = offersForResult(result, { parser, roots: engine.roots });
    const chosen: FixOffer[] = [];
    for (const list of offers.values()) {
      const pick = strategy ? list.find((o) => o.strategy === strategy) : fixAllChoice(list);
      if (pick) chosen.push(pick);
    }
    const { edits, taken } = mergeOffers(chosen);
    if (!edits.length) break;
    const touched = writeEdits(edits);
    for (const file of touched) if (engine.isAnalysable(file)) engine.readFromDisk(file);
    for (const offer of taken) applied.push({ offer, files: [...new Set(offer.edits.filter((e) => !e.create).map((e) => e.file))], created: offer.edits.filter((e) => e.create).length });
    result = engine.analyze();
  }
  return { result, applied };
}

/** Writes text edits and file creations; returns every file written. */
export function writeEdits(edits: FixEdit[]): string[] {
  const byFile = new Map<string, TextFileEdit[]>();
  const touched: string[] = [];
  for (const e of edits) {
    if (e.create) {
      if (fs.existsSync(e.file)) continue;
      fs.mkdirSync(path.dirname(e.file), { recursive: true });
      fs.writeFileSync(e.file, e.text);
      touched.push(e.file);
    } else {
      const list = byFile.get(e.file) ?? [];
      list.push(e);
      byFile.set(e.file, list);
    }
  }
  for (const [file, list] of byFile) {
    fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), list));
    touched.push(file);
  }
  return touched;
}

export function describeFixes(run: FixRun, root: string): string {
  const lines = run.applied.map((a) => `fixed: ${a.offer.title} (${a.offer.strategy}, ${a.offer.safety}) in ${a.files.map((f) => path.relative(root, f)).join(', ')}${a.created ? ` (+${a.created} new files)` : ''}${a.offer.note ? `\n  note: ${a.offer.note}` : ''}`);
  lines.push(`${run.applied.length} fix${run.applied.length === 1 ? '' : 'es'} applied, ${run.result.findings.length} finding${run.result.findings.length === 1 ? '' : 's'} left`);
  return lines.join('\n');
}
