/**
 * The shared core of LF001 and LF002: a file handler active in two or more processes on one
 * path. The two rules differ only in which handler kinds they own and what goes wrong.
 */
import type { HandlerSite, HandlerKind, StartMethod } from '../model/facts';
import type { Finding, RelatedEvidence, RuleId } from '../model/findings';
import { unknownStartMethodIn } from '../model/processModel';
import { chainEvidence, startEvidence, WriterSet } from '../model/writers';
import type { AnalysisContext } from './analysisContext';

const SERVER_MECHANISMS = new Set(['gunicorn', 'uwsgi', 'celery', 'django-runserver', 'supervisord', 'systemd', 'pm2', 'other']);

interface Breakage {
  site: HandlerSite;
  sets: WriterSet[];
  methods: Set<StartMethod>;
}

export function multiWriterFindings(
  ctx: AnalysisContext,
  rule: RuleId,
  kinds: HandlerKind[],
  consequence: string,
): Finding[] {
  const bySite = new Map<HandlerSite, Breakage>();
  for (const scenario of ['fork', 'spawn'] as const) {
    for (const set of ctx.writerSets(scenario)) {
      if (set.lowerBound < 2 && set.unknowns.length === 0) continue;
      for (const activation of set.activations) {
        if (!kinds.includes(activation.site.kind)) continue;
        const entry = bySite.get(activation.site) ?? { site: activation.site, sets: [], methods: new Set<StartMethod>() };
        entry.sets.push(set);
        // Only multiprocessing-style starts depend on the start method; a prefork server's
        // workers each run the code whatever Python's default is.
        for (const g of set.groups) if (g.start && !SERVER_MECHANISMS.has(g.start.mechanism)) entry.methods.add(g.startMethod === 'forkserver' ? 'spawn' : g.startMethod);
        bySite.set(activation.site, entry);
      }
    }
  }
  const findings: Finding[] = [];
  for (const { site, sets, methods } of bySite.values()) {
    // Prefer the scenario with the most evidence for the message.
    const set = sets.reduce((a, b) => (b.lowerBound > a.lowerBound ? b : a));
    const model = ctx.models[sets.includes(set) && ctx.writerSets('fork').includes(set) ? 'fork' : 'spawn'];
    const unknownMethod = set.groups.map((g) => unknownStartMethodIn(model, g)).find((s) => s);
    const proven = set.lowerBound >= 2 && !set.onlyWeak && !unknownMethod && !site.dependsOn && !set.sameFileDependsOn;
    const who = describeWriters(set);
    // A literal path is quoted as written; an expression is shown as code.
    const file = site.path?.kind === 'literal' || set.key.includes('|file:') ? set.file : `\`${set.file}\``;
    const cls = site.className.split('.').pop();
    let message: string;
    if (proven) {
      const clause = methodClause(methods);
      message = `${cls} on ${q(file)} is active in ${set.lowerBound}${set.unknowns.length ? '+' : ''} processes (${who}): ${consequence}${clause ? ' ' + clause : ''}.`;
    } else if (set.sameFileDependsOn && set.lowerBound >= 2) {
      const what = /^\w+$/.test(set.sameFileDependsOn) && set.sameFileDependsOn !== 'sys' ? `the environment variable ${set.sameFileDependsOn}` : 'the command line';
      message = `${cls} on ${q(file)} may be one file for ${set.lowerBound} processes (${who}): its name comes from ${what}, which each program may be started with differently; where it is the same, ${consequence}`;
    } else if (site.dependsOn && set.lowerBound >= 2) {
      message = `${cls} on ${q(file)} is active in ${set.lowerBound} processes (${who}) if the stdlib class is the one used: that depends on ${site.dependsOn}; with the stdlib handler, ${consequence}.`;
    } else if (set.onlyWeak) {
      // The master holds the handler (it opened it, or imported the app that did, before
      // forking) but serves no requests: it writes there only what is logged in it — its own
      // notices in a server log, little or nothing in an app's file under --preload.
      message = `${cls} on ${q(file)} is also open in the server's master process (${who}): the master writes there only what is logged in the master itself, so ${consequence.replace(/\.$/, '')} when both write.`;
    } else if (unknownMethod) {
      message = `${cls} on ${q(file)} may be active in several processes (${who}): it depends on the start method chosen at run time; under fork ${consequence}`;
    } else {
      message = `${cls} on ${q(file)} may be active in several processes (${who}): the count depends on ${set.unknowns.join(' and ')}; any value above 1 means ${consequence}`;
    }
    const related: RelatedEvidence[] = [];
    for (const a of set.activations) {
      if (a.site === site || a.how === 'inherited') {
        related.push(...startEvidence(a.group));
        if (a.how === 'created') related.push(...chainEvidence(a.group, a.site));
        if (a.how === 'inherited' && a.group.start) related.push({ span: a.group.start.span, message: `${a.group.label}: under fork the children inherit this handler and log through it` });
      } else if (a.site !== site) {
        related.push({ span: a.site.span, message: `the same file is opened here too (${a.group.label})` });
      }
    }
    if (unknownMethod) related.push({ span: unknownMethod, message: 'the start method is chosen here at run time' });
    if (site.guard && set.oneEach.size > 0) related.push({ span: site.guard.span, message: 'one process of each group passes this guard: each group counts once' });
    if (site.guard && set.allButOneEach.size > 0) related.push({ span: site.guard.span, message: 'rank 0 of each group does not get past this guard: the other processes all do' });
    if (set.perCopy) {
      related.push({ span: site.span, message: `${set.perCopy} numbers the copies of each program from 0, not the programs: the first copy of each writes the same file` });
    }
    if (set.openedOnceBy) {
      related.push({ span: site.span, message: 'the per-process part of this path is computed once, in the process that builds the handler: the children it forks inherit the file it opened' });
    }
    const starts = [...new Set(set.groups.flatMap((g) => {
      const chain = [];
      for (let x: typeof g | undefined = g; x?.start; x = x.parent) chain.push(x.start);
      return chain;
    }))];
    findings.push({
      rule,
      severity: proven ? 'warning' : 'information',
      span: site.span,
      message,
      related: dedupe(related).slice(0, 16),
      handler: site,
      starts,
      peers: [...new Set(set.activations.map((a) => a.site).filter((other) => other !== site))],
    });
  }
  return findings;
}

function q(file: string): string {
  return file.startsWith('`') ? file : `'${file}'`;
}

function describeWriters(set: WriterSet): string {
  const parts: string[] = [];
  for (const g of set.groups) {
    if (!g.start) parts.push(g.label);
    else if (set.perCopy) parts.push(`instance 0 (${set.perCopy}) of ${g.label}`);
    else if (set.oneEach.has(g)) parts.push(`1 of ${g.label} (rank 0)`);
    else if (set.allButOneEach.has(g)) parts.push(g.count.kind === 'known' ? `${Math.max(0, g.count.n - 1)} of ${g.label} (all but rank 0)` : `${g.label}, all but rank 0`);
    else parts.push(g.count.kind === 'known' && !g.start.countInDescription ? `${g.count.n} × ${g.label}` : `${g.label}`);
  }
  return parts.join('; ');
}

function methodClause(methods: Set<StartMethod>): string {
  if (methods.size === 0) return '';
  const fork = methods.has('fork');
  const spawn = methods.has('spawn') || methods.has('forkserver');
  if (fork && spawn) return '(this breaks under every start method: fork, spawn and forkserver)';
  if (fork) return '(this breaks under fork, the default start method on Linux up to Python 3.13; spawn and forkserver children do not inherit the handler)';
  return '(this breaks under spawn and forkserver: the default on macOS and Windows, and forkserver on Linux from Python 3.14)';
}

/** One entry per line: where two explain the same line, the fuller explanation stays. */
function dedupe(items: RelatedEvidence[]): RelatedEvidence[] {
  const byLine = new Map<string, RelatedEvidence>();
  for (const r of items) {
    const key = `${r.span.file}:${r.span.start.line}`;
    const kept = byLine.get(key);
    if (!kept || (r.message.length > kept.message.length && r.message.startsWith(kept.message.split(':')[0]))) byLine.set(key, r);
  }
  return [...byLine.values()];
}

