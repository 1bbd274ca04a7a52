/**
 * The oracle for the keyword prefilter and the scope graph's handling of line-scanned files:
 * the findings of a tree with the prefilter (most files line-scanned) and with `fullParse`
 * (every file parsed) must be the same, rule, place, message and related information.
 * Fixture projects check this in the tests; real trees have cases no fixture has.
 *
 *   node out/bench/prefilterEquivalence.js [django|stdlib|PATH]...   (default: django stdlib)
 *
 * Prints per tree the findings of both runs, how many files each parsed, and every difference.
 * A benchmark, not a test: exit code 1 only when findings differ.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { AnalysisEngine } from '../server/src/workspace/engine';
import type { Finding } from '../server/src/model/findings';
import { isLineScanned } from '../server/src/model/facts';
import { DJANGO_TREE, stdlibTree } from './trees';

function treeRoot(name: string): string {
  if (name === 'django') return DJANGO_TREE;
  if (name === 'stdlib') return stdlibTree() ?? 'python3 reports no stdlib folder';
  return name;
}

/** A finding as one line: everything a user sees of it. */
function describe(f: Finding): string {
  const related = f.related.map((r) => `${r.span.file}:${r.span.start.line + 1} ${r.message}`).join(' | ');
  return `${f.rule} ${f.span.file}:${f.span.start.line + 1}:${f.span.start.character + 1} ${f.severity} ${f.message} [${related}]`;
}

async function findings(root: string, fullParse: boolean): Promise<{ lines: string[]; parsed: number }> {
  const engine = new AnalysisEngine({ roots: [root], oneShot: true, fullParse });
  await engine.loadAll();
  const lines = engine.analyze().findings.map(describe).sort();
  const parsed = engine.fileList().filter((f) => {
    const facts = f.endsWith('.py') ? engine.factsOf(f) : undefined;
    return facts !== undefined && !isLineScanned(facts);
  }).length;
  return { lines, parsed };
}

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  let differ = false;
  for (const name of names.length ? names : ['django', 'stdlib']) {
    const root = treeRoot(name);
    if (!fs.existsSync(root)) {
      console.log(`${name}: ${root} not found, skipped`);
      continue;
    }
    const [light, full] = [await findings(root, false), await findings(root, true)];
    const hash = (lines: string[]) => crypto.createHash('sha1').update(lines.join('\n')).digest('hex').slice(0, 8);
    const onlyLight = light.lines.filter((l) => !full.lines.includes(l));
    const onlyFull = full.lines.filter((l) => !light.lines.includes(l));
    const same = onlyLight.length === 0 && onlyFull.length === 0;
    differ ||= !same;
    console.log(`${name}: prefilter ${light.lines.length} findings (${hash(light.lines)}, ${light.parsed} .py parsed), fullParse ${full.lines.length} (${hash(full.lines)}, ${full.parsed} parsed): ${same ? 'same' : 'DIFFERENT'}`);
    for (const l of onlyLight.slice(0, 5)) console.log(`  only with the prefilter: ${l}`);
    for (const l of onlyFull.slice(0, 5)) console.log(`  only with fullParse:     ${l}`);
  }
  return differ ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
