/**
 * Oracle for changes to the Python fact extractor that must not change its output, and a timer
 * for the extraction step alone.
 *
 *   node out/bench/extractEquivalence.js record  SNAPDIR ROOT... [--repeat N]
 *   node out/bench/extractEquivalence.js compare SNAPDIR ROOT... [--repeat N]
 *   node out/bench/extractEquivalence.js time    ROOT...         [--repeat N]
 *   node out/bench/extractEquivalence.js copy    ROOT...         [--every K]
 *   ... [--baseline OLD/extract.js]
 *
 * For every `.py` file the engine's discovery finds under each ROOT (same skips as a workspace
 * scan, no size limit), it parses the file with `pythonParser()` and runs `extractPythonFacts`.
 * `record` writes the JSON of each file's facts to SNAPDIR (one JSON-lines file per root);
 * `compare` reads them back and reports every file whose JSON differs (byte-for-byte, so key
 * order counts too). Each root is printed with its extraction wall time and CPU time
 * (process.cpuUsage), parse time excluded. With --repeat N the whole root is read N times (the
 * snapshot is written/compared on the first pass) to see the figures once the JIT is warm.
 *
 * --baseline loads another compiled extractor (e.g. a copy of out/server/src/python/extract.js
 * from before a change, its requires pointed at absolute paths) and runs it on the same tree
 * right before the current one, file by file: on a shared, busy machine the ratio of the two
 * is steadier than figures from separate runs. Its output must equal the current one's too.
 *
 * `copy` checks the plain-JS tree copy the extractor reads (cursorWalk.ts) against
 * web-tree-sitter's own Node API, node by node: type, indices, positions, text, named children,
 * parent, every field the extractor asks for, descendantsOfType; and the fast (raw wasm) copy
 * against the one built through the public TreeCursor. --every K checks every K-th file only.
 *
 * Exit code 1 when `compare` or `copy` found a difference or a snapshot is missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Node as TreeSitterNode, Tree } from 'web-tree-sitter';
import { pythonParser } from '../server/src/python/parser';
import { extractPythonFacts } from '../server/src/python/extract';
import { SyntaxNode, syntaxTreeOf, syntaxTreeViaPublicApi, usesRawCursor } from '../server/src/python/cursorWalk';
import { discoverFiles, moduleNameOf } from '../server/src/workspace/discovery';

type Mode = 'record' | 'compare' | 'time' | 'copy';

interface Options {
  mode: Mode;
  snapDir?: string;
  roots: string[];
  repeat: number;
  baseline?: string;
  every: number;
}

function parseArgs(argv: string[]): Options {
  const mode = argv[0] as Mode;
  if (mode !== 'record' && mode !== 'compare' && mode !== 'time' && mode !== 'copy') usage();
  const rest: string[] = [];
  let repeat = 1;
  let baseline: string | undefined;
  let every = 1;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--repeat') repeat = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === '--baseline') baseline = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--every') every = Math.max(1, Number(argv[++i]) || 1);
    else rest.push(argv[i]);
  }
  const withSnapshots = mode === 'record' || mode === 'compare';
  const snapDir = withSnapshots ? rest.shift() : undefined;
  if ((withSnapshots && !snapDir) || rest.length === 0) usage();
  return { mode, snapDir, roots: rest.map((r) => path.resolve(r)), repeat, baseline, every };
}

function usage(): never {
  process.stderr.write(
    'usage: node out/bench/extractEquivalence.js record|compare SNAPDIR ROOT... [--repeat N] [--baseline OLD.js]\n' +
    '       node out/bench/extractEquivalence.js time ROOT... [--repeat N] [--baseline OLD.js]\n' +
    '       node out/bench/extractEquivalence.js copy ROOT... [--every K]\n');
  process.exit(2);
}

/** One snapshot file per root, named after the root's path so roots never collide. */
function snapshotFile(snapDir: string, root: string): string {
  return path.join(snapDir, root.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '') + '.jsonl');
}

function readSnapshot(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const { file: f, json } = JSON.parse(line) as { file: string; json: string };
    out.set(f, json);
  }
  return out;
}

/** Where two JSON texts first part, for a readable difference report. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `at char ${i}:\n      before: ${a.slice(from, i + 120)}\n      after:  ${b.slice(from, i + 120)}`;
}

type Extract = typeof extractPythonFacts;

/** Runs one extractor on a tree: its JSON, wall ms and CPU µs (of the extraction, not the JSON). */
function timed(extract: Extract, tree: Tree, file: string, module: string, isPackageInit: boolean): { json: string; wallMs: number; cpuUs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let result: unknown;
  try {
    result = extract(tree, file, module, isPackageInit);
  } catch (e) {
    result = { error: (e as Error).message };
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { json: JSON.stringify(result), wallMs, cpuUs: cpu.user + cpu.system };
}

// ------------------------------------------------------------------ copy check

/** The fields the extractor asks for (extract.ts), plus a few more. */
const CHECKED_FIELDS = [
  'name', 'alias', 'module_name', 'definition', 'condition', 'consequence', 'alternative', 'function',
  'arguments', 'object', 'attribute', 'parameters', 'value', 'body', 'superclasses', 'left', 'right',
  'operator', 'operators', 'key', 'type', 'return_type', 'subscript', 'argument',
];

function describe(n: { type: string; startIndex: number; endIndex: number } | null | undefined): string {
  return n ? `${n.type}[${n.startIndex},${n.endIndex})` : 'null';
}

/**
 * Differences between the copy and web-tree-sitter's nodes under `real`, at most `limit`; and
 * the known ones apart: tree-sitter's `childForFieldName` also finds a field that a hidden rule
 * aliased to a visible node passes up (match_statement's `alternative` = a case_clause inside
 * its `block`), which is a grandchild; the copy, like `childrenForFieldName` and the cursor,
 * only knows the fields of direct children.
 */
function copyDifferences(real: TreeSitterNode, copy: SyntaxNode, limit: number, known: string[]): string[] {
  const out: string[] = [];
  const diff = (what: string, a: unknown, b: unknown, at: TreeSitterNode) => {
    if (out.length < limit && a !== b) out.push(`${describe(at)} ${what}: tree-sitter ${String(a)} / copy ${String(b)}`);
  };
  const samePoint = (p: { row: number; column: number }, q: { row: number; column: number }) => p.row === q.row && p.column === q.column;
  const stack: [TreeSitterNode, SyntaxNode][] = [[real, copy]];
  while (stack.length > 0 && out.length < limit) {
    const [r, c] = stack.pop()!;
    diff('type', r.type, c.type, r);
    diff('startIndex', r.startIndex, c.startIndex, r);
    diff('endIndex', r.endIndex, c.endIndex, r);
    diff('text', r.text, c.text, r);
    if (!samePoint(r.startPosition, c.startPosition)) diff('startPosition', JSON.stringify(r.startPosition), JSON.stringify(c.startPosition), r);
    if (!samePoint(r.endPosition, c.endPosition)) diff('endPosition', JSON.stringify(r.endPosition), JSON.stringify(c.endPosition), r);
    diff('parent', describe(r.parent), describe(c.parent), r);
    for (const field of CHECKED_FIELDS) {
      const viaTreeSitter = r.childForFieldName(field);
      const viaCopy = c.childForFieldName(field);
      if (viaTreeSitter && !viaCopy && viaTreeSitter.parent?.id !== r.id) {
        known.push(`${describe(r)} field ${field}: tree-sitter gives the grandchild ${describe(viaTreeSitter)}`);
      } else {
        diff(`field ${field}`, describe(viaTreeSitter), describe(viaCopy), r);
      }
      diff(`fields ${field}`, r.childrenForFieldName(field).map(describe).join(' '), c.childrenForFieldName(field).map(describe).join(' '), r);
    }
    const realKids = r.namedChildren.filter((k): k is TreeSitterNode => !!k);
    diff('namedChildren', realKids.map(describe).join(' '), c.namedChildren.map(describe).join(' '), r);
    if (realKids.length === c.namedChildren.length) {
      for (let i = realKids.length - 1; i >= 0; i--) stack.push([realKids[i], c.namedChildren[i]]);
    }
  }
  for (const types of [['identifier'], ['call'], ['import_statement', 'import_from_statement'], ['interpolation'], ['assignment', 'as_pattern_target', 'for_statement']]) {
    diff(`descendantsOfType ${types}`, real.descendantsOfType(types).map(describe).join(' '), copy.descendantsOfType(types).map(describe).join(' '), real);
  }
  return out;
}

function sameCopy(a: SyntaxNode, b: SyntaxNode): boolean {
  if (a.type !== b.type || a.startIndex !== b.startIndex || a.endIndex !== b.endIndex || a.fieldId !== b.fieldId ||
    a.isNamed !== b.isNamed || a.children.length !== b.children.length) return false;
  return a.children.every((child, i) => sameCopy(child, b.children[i]));
}

async function checkCopies(o: Options): Promise<boolean> {
  const parser = await pythonParser();
  console.log(`fast (raw wasm) copy in use: ${usesRawCursor(parser.language!)}`);
  let ok = true;
  for (const root of o.roots) {
    const files = discoverFiles(root, { isOtherFile: () => false }).filter((f) => f.endsWith('.py')).filter((_, i) => i % o.every === 0);
    let nodes = 0;
    const bad: string[] = [];
    const known: string[] = [];
    for (const file of files) {
      const tree = parser.parse(fs.readFileSync(file, 'utf8'));
      if (!tree) continue;
      const copy = syntaxTreeOf(tree).root;
      nodes += tree.rootNode.descendantCount;
      const problems = copyDifferences(tree.rootNode, copy, 5, known);
      if (!sameCopy(copy, syntaxTreeViaPublicApi(tree).root)) problems.push('fast copy differs from the public-API copy');
      if (problems.length) bad.push(`${path.relative(root, file)}:\n      ${problems.join('\n      ')}`);
      tree.delete();
    }
    console.log(`${root}: ${files.length} files, ${nodes} nodes checked, files with differences: ${bad.length}` +
      ` (known, not counted: ${known.length} grandchild fields${known.length ? `, e.g. ${known[0]}` : ''})`);
    for (const b of bad.slice(0, 10)) console.log(`    ${b}`);
    if (bad.length) ok = false;
  }
  return ok;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.mode === 'copy') {
    process.exitCode = (await checkCopies(o)) ? 0 : 1;
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const baseline: Extract | undefined = o.baseline ? require(o.baseline).extractPythonFacts : undefined;
  if (o.baseline && typeof baseline !== 'function') throw new Error(`${o.baseline} exports no extractPythonFacts`);
  const parser = await pythonParser();
  if (o.snapDir) fs.mkdirSync(o.snapDir, { recursive: true });
  let failed = false;
  for (const root of o.roots) {
    const files = discoverFiles(root, { isOtherFile: () => false }).filter((f) => f.endsWith('.py'));
    const snapFile = o.snapDir ? snapshotFile(o.snapDir, root) : undefined;
    let expected: Map<string, string> | undefined;
    if (o.mode === 'compare') {
      if (!snapFile || !fs.existsSync(snapFile)) {
        console.log(`${root}: no snapshot at ${snapFile}`);
        failed = true;
        continue;
      }
      expected = readSnapshot(snapFile);
    }
    const recorded: string[] = [];
    const differing: string[] = [];
    let compared = 0;
    const baselineDiffering: string[] = [];
    for (let pass = 0; pass < o.repeat; pass++) {
      let wallMs = 0;
      let cpuUs = 0;
      let parseMs = 0;
      let baseWallMs = 0;
      let baseCpuUs = 0;
      let fileIndex = 0;
      for (const file of files) {
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        const location = moduleNameOf(file);
        const p0 = performance.now();
        const tree = parser.parse(text);
        parseMs += performance.now() - p0;
        if (!tree) continue;
        let before: string | undefined;
        // Alternate which one runs first, so neither always finds the tree warm in the caches.
        const baselineFirst = (fileIndex++ & 1) === 0;
        const runBaseline = () => {
          if (!baseline) return;
          const b = timed(baseline, tree, file, location.module, location.isPackageInit);
          baseWallMs += b.wallMs;
          baseCpuUs += b.cpuUs;
          before = b.json;
        };
        if (baselineFirst) runBaseline();
        const now = timed(extractPythonFacts, tree, file, location.module, location.isPackageInit);
        if (!baselineFirst) runBaseline();
        const json = now.json;
        wallMs += now.wallMs;
        cpuUs += now.cpuUs;
        tree.delete();
        if (pass > 0) continue;
        const rel = path.relative(root, file);
        if (before !== undefined && before !== json) baselineDiffering.push(`${rel}: ${firstDifference(before, json)}`);
        if (o.mode === 'record') recorded.push(JSON.stringify({ file: rel, json }));
        if (expected) {
          compared++;
          const before = expected.get(rel);
          if (before === undefined) differing.push(`${rel}: not in the snapshot`);
          else if (before !== json) differing.push(`${rel}: ${firstDifference(before, json)}`);
        }
      }
      console.log(`${root} pass ${pass + 1}: ${files.length} files, extraction ${wallMs.toFixed(0)} ms wall, ` +
        `${(cpuUs / 1000).toFixed(0)} ms cpu (parse ${parseMs.toFixed(0)} ms, not counted)`);
      if (baseline) {
        console.log(`  baseline: ${baseWallMs.toFixed(0)} ms wall, ${(baseCpuUs / 1000).toFixed(0)} ms cpu; ` +
          `speed-up ${(baseWallMs / wallMs).toFixed(2)}x wall, ${(baseCpuUs / cpuUs).toFixed(2)}x cpu`);
      }
    }
    if (baseline) {
      console.log(`  baseline output differs on ${baselineDiffering.length} files`);
      for (const d of baselineDiffering.slice(0, 20)) console.log(`    ${d}`);
      if (baselineDiffering.length) failed = true;
    }
    if (o.mode === 'record' && snapFile) {
      fs.writeFileSync(snapFile, recorded.join('\n') + '\n');
      console.log(`  recorded ${recorded.length} files to ${snapFile}`);
    }
    if (expected) {
      const seen = new Set(files.map((f) => path.relative(root, f)));
      for (const rel of expected.keys()) if (!seen.has(rel)) differing.push(`${rel}: in the snapshot but not found now`);
      console.log(`  compared ${compared} files, differences: ${differing.length}`);
      for (const d of differing.slice(0, 20)) console.log(`    ${d}`);
      if (differing.length) failed = true;
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
