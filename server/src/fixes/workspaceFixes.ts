/**
 * Offers for a whole analysis result, keyed by finding: what the language server keeps beside
 * its diagnostics and what `logfunnel check --fix` applies.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import type { Finding } from '../model/findings';
import type { AnalysisResult } from '../workspace/engine';
import { fixesFor } from './index';
import { runtimeAvailability } from './runtimeAvailability';
import type { FixContext, FixOffer, RuntimeAvailability } from './types';

export interface OfferSource {
  /** Open editor documents win over the disk. */
  readText?: (file: string) => string | undefined;
  parser: Parser;
  roots: string[];
  interpreter?: string;
}

export function offersForResult(result: AnalysisResult, source: OfferSource): Map<Finding, FixOffer[]> {
  const runtimes = new Map<string, RuntimeAvailability>();
  const rootOf = (file: string) =>
    source.roots.find((r) => file.startsWith(path.resolve(r) + path.sep)) ?? path.dirname(file);
  const texts = new Map<string, string | undefined>();
  const readText = (file: string) => {
    if (!texts.has(file)) {
      let text = source.readText?.(file);
      if (text === undefined) {
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          text = undefined;
        }
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
  const out = new Map<Finding, FixOffer[]>();
  for (const finding of result.findings) {
    const root = rootOf(finding.span.file);
    let runtime = runtimes.get(root);
    if (!runtime) runtimes.set(root, (runtime = runtimeAvailability(root, source.interpreter)));
    const ctx: FixContext = { readText, parser: source.parser, program: result.context.program, rootOf, runtime };
    out.set(finding, fixesFor(finding, ctx));
  }
  return out;
}
