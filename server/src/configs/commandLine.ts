/**
 * One command line (shell form text or exec-form argv) → the programs it launches.
 * Strips what sits in front of the real program: `VAR=1`, `exec`, `env`, `nohup`,
 * `poetry run`, `sh -c "..."`, `/venv/bin/`, `python -m`, APM wrappers.
 */
import * as path from 'path';
import type { Span } from '../model/facts';
import type { LaunchSite, Launch } from './launch';
import { substitute, Substitution } from './env';
import { parseShellWords } from './shellWords';
import { programLaunch, pythonLaunch } from './programs';
import { countFromWord, multiply } from './counts';
import { scanOptions } from './options';

export interface CommandAnalysis {
  launches: Launch[];
  problems: { span: Span; message: string }[];
}

/** Quick test before any parsing: does the text mention a program we understand? */
export const INTERESTING_COMMAND = /gunicorn|celery|uwsgi|uvicorn|hypercorn|runserver|torchrun|accelerate|deepspeed|srun|python|\.py\b/;

export function analyzeCommand(command: string | string[], site: LaunchSite, depth = 0): CommandAnalysis {
  const result: CommandAnalysis = { launches: [], problems: [] };
  const text = Array.isArray(command) ? command.map(quoteWord).join(' ') : command;
  if (depth > 3 || !INTERESTING_COMMAND.test(text)) return result;
  const substitution = substitute(text, site.env);
  const shell = parseShellWords(substitution.text);
  if (shell.unbalancedQuote) {
    result.problems.push({ span: site.span, message: `unbalanced quote in the command line at ${site.label}; not analysed` });
    return result;
  }
  for (const words of shell.commands) {
    const local = site.env.child();
    const argv = stripWrappers(words, (name, value) => local.set(name, value, site.label));
    if (argv.length === 0) continue;
    const program = path.basename(argv[0]);
    const localSite: LaunchSite = { ...site, env: local };
    if ((program === 'sh' || program === 'bash' || program === 'dash' || program === 'ash') && argv[1] === '-c' && argv[2]) {
      const inner = analyzeCommand(argv[2], localSite, depth + 1);
      result.launches.push(...inner.launches);
      result.problems.push(...inner.problems);
      continue;
    }
    if (program === 'srun') {
      const inner = srunLaunches(argv.slice(1), localSite, depth);
      result.launches.push(...inner.launches);
      result.problems.push(...inner.problems);
      continue;
    }
    const launch = /^python[\d.]*$/.test(program) ? pythonLaunch(argv.slice(1), localSite) : programLaunch(program, argv.slice(1), localSite);
    if (launch) {
      launch.notes.push(...substitutionNotes(substitution));
      launch.environment ??= local;
      result.launches.push(launch);
    }
  }
  return result;
}

/** srun's options that take a value as the next word (`-c 8`), beside the counts it is read for. */
const SRUN_VALUED = [
  '-c', '--cpus-per-task', '-p', '--partition', '-t', '--time', '-J', '--job-name', '-o', '--output', '-e', '--error',
  '-w', '--nodelist', '-x', '--exclude', '-A', '--account', '-q', '--qos', '-G', '--gpus', '-C', '--constraint', '-D',
  '--chdir', '-m', '--distribution', '--gres', '--mem', '--mpi', '--export', '--gpus-per-node', '--gpus-per-task',
  '--mem-per-cpu', '--cpu-bind', '--nodefile',
];

/**
 * `srun [options] program ...`: SLURM starts the program as --ntasks-per-node tasks on each node
 * (or --ntasks of them when no node count says they spread over several machines). This machine's
 * share multiplies what the program starts itself (`srun --ntasks-per-node 1 torchrun ...`).
 */
function srunLaunches(argv: string[], site: LaunchSite, depth: number): CommandAnalysis {
  const { values, positionals } = scanOptions(argv, {
    valued: { perNode: ['--ntasks-per-node'], tasks: ['-n', '--ntasks'], nodes: ['-N', '--nodes'], other: SRUN_VALUED },
  }, { untilPositional: true });
  const inner = analyzeCommand(positionals, site, depth + 1);
  const perNode = values.get('perNode');
  const tasks = values.get('tasks');
  const nodes = values.get('nodes');
  const here = perNode ?? (tasks !== undefined && (nodes === undefined || nodes === '1') ? tasks : undefined);
  const reading = here !== undefined ? countFromWord(here, site.span) : undefined;
  if (reading && !(reading.count.kind === 'known' && reading.count.n === 1)) {
    for (const launch of inner.launches) {
      launch.count = multiply(launch.count, reading);
      launch.summary = `srun ${perNode !== undefined ? `--ntasks-per-node ${perNode}` : `-n ${here}`} ${launch.summary}`;
      launch.single = undefined;
    }
  }
  return inner;
}

/** One word as a shell would need it written to stay one word. */
export function quoteWord(word: string): string {
  return /^[\w@%+=:,./$-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const WRAPPERS_WITH_ARG = new Set(['gosu', 'su-exec', 'chpst', 'setuidgid']);
const WRAPPERS = new Set(['exec', 'nohup', 'time', 'nice', 'ionice', 'dumb-init', 'tini', 'ddtrace-run', 'opentelemetry-instrument', 'sudo', 'stdbuf', 'command']);

/** Removes assignments and wrapper programs from the front of a simple command. */
function stripWrappers(words: string[], assign: (name: string, value: string) => void): string[] {
  let argv = words;
  for (let guard = 0; guard < 10 && argv.length > 0; guard++) {
    const head = argv[0];
    const base = path.basename(head);
    const assignment = /^([A-Za-z_]\w*)=(.*)$/.exec(head);
    if (assignment) {
      assign(assignment[1], assignment[2]);
      argv = argv.slice(1);
    } else if (base === 'env') {
      argv = argv.slice(1);
      while (argv[0]?.startsWith('-')) argv = argv.slice(1);
    } else if (WRAPPERS.has(base)) {
      argv = argv.slice(1);
      while (argv[0]?.startsWith('-')) argv = argv.slice(argv[0] === '--' ? 1 : 1);
    } else if (WRAPPERS_WITH_ARG.has(base)) {
      argv = argv.slice(2);
    } else if (/^(poetry|pipenv|pdm|hatch|uv|rye)$/.test(base) && argv[1] === 'run') {
      argv = argv.slice(2);
    } else if ((/entrypoint/i.test(base) || /\.sh$/.test(base)) && argv.length > 1) {
      // `ENTRYPOINT ["./docker-entrypoint.sh"]` + `CMD [...]`: such scripts end in `exec "$@"`.
      argv = argv.slice(1);
    } else if (base === 'newrelic-admin' && argv[1] === 'run-program') {
      argv = argv.slice(2);
    } else {
      break;
    }
  }
  return argv;
}

function substitutionNotes(substitution: Substitution): string[] {
  return [
    ...substitution.defaultsUsed.map((d) => `\${${d.name}:-${d.value}} taken at its default ${d.value}; setting ${d.name} changes it`),
    ...substitution.resolved.map((r) => `${r.name}=${r.value} from ${r.from}`),
  ];
}
