/**
 * Guards that keep code to one process of a group (python/processGuards.ts), as the extractor
 * records them on handler sites and calls.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pythonParser } from '../src/python/parser';
import { readText } from '../src/workspace/fileReader';

async function factsOf(lines: string[]) {
  const parser = await pythonParser();
  return readText('/ws/train.py', lines.join('\n') + '\n', parser, { workspaceRoot: '/ws', parse: true }).facts;
}

/** `line:guard` of each handler site (1-based), `-` when unguarded. */
async function handlerGuards(body: string[]): Promise<string[]> {
  const facts = await factsOf(['import logging, sys', 'import multiprocessing as mp', 'import torch.distributed as dist', 'def setup(rank, args, trainer):', ...body.map((l) => `    ${l}`)]);
  return facts.handlers.map((h) => `${h.span.start.line + 1}:${h.guard?.kind ?? '-'}`);
}

/** A module with a function that builds a handler, and the start of one that calls it (`train`). */
const TRAIN_WITH_SETUP = [
  'import logging',
  'def setup_logging():',
  '    logging.getLogger().addHandler(logging.FileHandler("train.log"))',
  'def train(rank):',
];

/** `line:guard` of each call of setup_logging (1-based), `-` when unguarded. */
async function setupCallGuards(lines: string[]): Promise<string[]> {
  const facts = await factsOf(lines);
  return facts.calls.filter((c) => c.callee.name.endsWith('setup_logging')).map((c) => `${c.callee.span.start.line + 1}:${c.guard ?? '-'}`);
}

test('a handler in the body of a one-process test is guarded; `and` keeps the guard, `or` loses it', async () => {
  assert.deepEqual(await handlerGuards([
    'if rank == 0:',
    '    logging.FileHandler("a.log")',
    'if 0 == args.local_rank and args.log:',
    '    logging.FileHandler("b.log")',
    'if dist.get_rank() == 0 or args.debug:',
    '    logging.FileHandler("c.log")',
    'if trainer.is_global_zero:',
    '    logging.FileHandler("d.log")',
    'if mp.current_process().name == "MainProcess":',
    '    logging.FileHandler("e.log")',
    'if mp.parent_process() is None:',
    '    logging.FileHandler("f.log")',
    'if rank == 1:',
    '    logging.FileHandler("g.log")',
    'else:',
    '    logging.FileHandler("h.log")',
  ]), ['6:rank-zero', '8:rank-zero', '10:-', '12:rank-zero', '14:main-process', '16:main-process', '18:-', '20:-']);
});

test('an early exit for the other processes guards the rest of the block, not what comes before', async () => {
  assert.deepEqual(await handlerGuards([
    'logging.FileHandler("all.log")',
    'if rank != 0:',
    '    return',
    'logging.FileHandler("zero.log")',
  ]), ['5:-', '8:rank-zero']);
  assert.deepEqual(await handlerGuards([
    'if not trainer.is_global_zero:',
    '    sys.exit(0)',
    'logging.FileHandler("zero.log")',
  ]), ['7:rank-zero']);
  // An exit that does not leave (a log line) guards nothing.
  assert.deepEqual(await handlerGuards([
    'if rank != 0:',
    '    print("not rank 0")',
    'logging.FileHandler("all.log")',
  ]), ['7:-']);
});

test('calls under a guard carry it: the process model counts what they build once per group', async () => {
  assert.deepEqual(await setupCallGuards([
    ...TRAIN_WITH_SETUP,
    '    if rank == 0:',
    '        setup_logging()',
    '    setup_logging()',
  ]), ['6:rank-zero', '7:-']);
});

test('a rank test also guards the other way: every rank but 0 passes `!=`, the else of `==`, and what follows `if rank == 0: return`', async () => {
  assert.deepEqual(await handlerGuards([
    'if rank != 0:',
    '    logging.FileHandler("a.log")',
    'if rank == 0:',
    '    pass',
    'else:',
    '    logging.FileHandler("b.log")',
    'if args.rank != 0:',
    '    pass',
    'else:',
    '    logging.FileHandler("c.log")',
    'if rank == 0:',
    '    pass',
    'elif args.log:',
    '    logging.FileHandler("d.log")',
    // Which processes keep the name MainProcess depends on how they were started: no inverse.
    'if mp.current_process().name != "MainProcess":',
    '    logging.FileHandler("e.log")',
  ]), ['6:not-rank-zero', '10:not-rank-zero', '14:rank-zero', '18:-', '20:-']);
  assert.deepEqual(await handlerGuards([
    'if rank == 0:',
    '    logging.basicConfig()',
    '    return',
    'logging.FileHandler("others.log")',
  ]), ['8:not-rank-zero']);
  assert.deepEqual(await setupCallGuards([
    ...TRAIN_WITH_SETUP,
    '    if rank == 0:',
    '        return',
    '    setup_logging()',
  ]), ['7:not-rank-zero']);
});

test('the launcher variable read inline is a rank too: int(os.environ["LOCAL_RANK"]) == 0, "0" strings, .get with a default, local_rank in (-1, 0)', async () => {
  assert.deepEqual(await handlerGuards([
    'if int(os.environ["LOCAL_RANK"]) == 0:',
    '    logging.FileHandler("a.log")',
    'if os.environ["RANK"] == "0":',
    '    logging.FileHandler("b.log")',
    'if os.environ.get("RANK", "0") == "0":',
    '    logging.FileHandler("c.log")',
    'if args.local_rank in (-1, 0):',
    '    logging.FileHandler("d.log")',
    'if os.getenv("LOCAL_RANK") != "0":',
    '    logging.FileHandler("e.log")',
    'if os.environ["SHARD"] == "0":',
    '    logging.FileHandler("f.log")',
  ]), ['6:rank-zero', '8:rank-zero', '10:rank-zero', '12:rank-zero', '14:not-rank-zero', '16:-']);
});
