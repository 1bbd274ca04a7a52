/**
 * Distributed-training launchers: torchrun (also `python -m torch.distributed.run` and the older
 * `torch.distributed.launch`), `accelerate launch` and `deepspeed`. Each starts a number of
 * fresh Python processes on this machine, every one running the script (or `-m` module) as
 * `__main__` with its own rank. Processes on other nodes are other machines, with files of
 * their own, and are not counted.
 */
import * as path from 'path';
import type { Span } from '../model/facts';
import type { Launch, LaunchSite } from './launch';
import { singleProgram } from './launch';
import { scanOptions } from './options';
import { CountReading, countFromWord, known, unknown, CPU_COUNT } from './counts';
import { findFile, peekText, scriptModuleName } from './peek';

type Trainer = 'torchrun' | 'accelerate' | 'deepspeed';

interface TrainerOptions {
  /** Options that set the process count on this machine. */
  count: string[];
  /** Other options taking a value; every other option before the script is a flag. */
  valued: string[];
  /** Options naming a config file whose `num_processes:` sets the count (accelerate). */
  configFile?: string[];
  /** Options after which the script is a program, not Python. */
  notPython: string[];
  /** What the count is without the option. */
  defaultCount: (span: Span) => CountReading;
}

const both = (...names: string[]) => names.flatMap((n) => [n, n.replace(/_/g, '-')]);

const TRAINERS: Record<Trainer, TrainerOptions> = {
  torchrun: {
    count: both('--nproc_per_node'),
    valued: both(
      '--nnodes', '--node_rank', '--rdzv_backend', '--rdzv_endpoint', '--rdzv_id', '--rdzv_conf', '--max_restarts',
      '--monitor_interval', '--start_method', '--role', '--master_addr', '--master_port', '--local_addr', '--log_dir',
      '-r', '--redirects', '-t', '--tee', '--local_ranks_filter', '--logs_specs',
    ),
    notPython: both('--no_python'),
    defaultCount: () => known(1),
  },
  accelerate: {
    count: both('--num_processes'),
    valued: both(
      '--num_machines', '--machine_rank', '--main_process_ip', '--main_process_port', '--mixed_precision', '--gpu_ids',
      '--dynamo_backend', '--num_cpu_threads_per_process', '--deepspeed_config_file', '--zero_stage', '--rdzv_backend',
      '--gradient_accumulation_steps', '--fsdp_sharding_strategy', '--tpu_name', '--tpu_zone', '--same_network',
    ),
    configFile: both('--config_file'),
    notPython: both('--no_python'),
    // Without the option, the machine's own accelerate config (outside the workspace) decides.
    defaultCount: (span) => unknown('the accelerate config of the machine', 1, span, 'num_processes from the accelerate config of the machine'),
  },
  deepspeed: {
    count: both('--num_gpus'),
    valued: both('--num_nodes', '--master_port', '--master_addr', '-H', '--hostfile', '-i', '--include', '-e', '--exclude', '--launcher', '--node_rank'),
    notPython: both('--no_python'),
    // Every GPU of the machine, by default.
    defaultCount: (span) => unknown('the number of GPUs', 1, span, 'one process per GPU of the machine'),
  },
};

/** `torchrun --nproc-per-node 4 train.py --epochs 3`: the trainer's options end at the script. */
export function trainingLaunch(trainer: Trainer, argv: string[], site: LaunchSite): Launch | undefined {
  const spec = TRAINERS[trainer];
  const scanned = scanOptions(argv, {
    valued: { count: spec.count, config: spec.configFile ?? [], other: spec.valued },
    flags: { module: ['-m', '--module'], notPython: spec.notPython },
  }, { untilPositional: true });
  if (scanned.flags.has('notPython')) return undefined; // runs a program, not Python
  const countWord = scanned.values.get('count');
  const countOption = scanned.written.get('count');
  const configFile = scanned.values.get('config');
  const asModule = scanned.flags.has('module');
  const target = scanned.positionals[0];
  if (!target) return undefined;
  let module: string;
  if (asModule) module = target;
  else if (/\.pyw?$/.test(target)) module = scriptModuleName(findFile(target, site.dirs) ?? path.resolve(site.dirs[0], target), site.workspaceRoot);
  else return undefined;
  const count = countWord !== undefined ? countOf(countWord, site.span) : (configFile && configCount(configFile, site)) || spec.defaultCount(site.span);
  const written = `${trainer === 'accelerate' ? 'accelerate launch' : trainer}${countWord !== undefined ? ` ${countOption} ${countWord}` : ''} ${asModule ? '-m ' : ''}${target}`;
  const launch = singleProgram(module, written, scanned.positionals.slice(1));
  if (count.count.kind === 'known' && count.count.n === 1) return launch;
  return { ...launch, count, single: undefined, notes: count.note ? [count.note] : [] };
}

function countOf(word: string, span: Span): CountReading {
  const w = word.trim();
  if (w === 'gpu' || w === 'auto') return unknown('the number of GPUs', 1, span, `${w}: one process per GPU`);
  if (w === 'cpu') return unknown(CPU_COUNT, 1, span, 'cpu: one process per CPU');
  return countFromWord(w, span) ?? unknown(w, 1, span);
}

/** accelerate's `--config_file cfg.yaml`: its `num_processes:` line. */
function configCount(file: string, site: LaunchSite): CountReading | undefined {
  const found = findFile(file, site.dirs);
  const text = found ? peekText(found) : undefined;
  const m = text ? /^num_processes:\s*(\d+)\s*$/m.exec(text) : null;
  return m ? known(parseInt(m[1], 10), site.span, `num_processes: ${m[1]} in ${file}`) : undefined;
}
