/**
 * Guards that let only one process of a group run a block: a handler built under
 * `if multiprocessing.current_process().name == 'MainProcess':` or `if rank == 0:` is not built
 * in every process that runs the function.
 *
 * Two kinds, because they exclude different processes:
 * - `main-process`: multiprocessing names its children (`Process-1`, `SpawnPoolWorker-2`) and
 *   gives them a parent; a process made by `os.fork`, a prefork server or a launcher keeps the
 *   name `MainProcess` and has no multiprocessing parent, so the guard does not exclude those.
 * - `rank-zero`: a distributed-training rank (`rank == 0`, `dist.get_rank() == 0`,
 *   `accelerator.is_main_process`, `trainer.is_global_zero`): one process of the group.
 *
 * Both forms are read: the handler inside the guarded block, or after an early exit
 * (`if rank != 0: return`) earlier in the same block.
 *
 * A rank test also guards the other way round: the body of `if rank != 0:`, the `else:` of
 * `if rank == 0:` and what follows `if rank == 0: return` run in every process of the group but
 * rank 0 (`not-rank-zero`). Not so for `MainProcess` tests: which processes keep that name
 * depends on how each was started, so the inverse is left unguarded.
 */
import type { ProcessGuardKind } from '../model/facts';
import type { SyntaxNode as Node } from './cursorWalk';

const MAIN_PROCESS_NAME = /current_process\(\)\.name(==|!=)['"]MainProcess['"]|['"]MainProcess['"](==|!=)\S*current_process\(\)\.name/;
const PARENT_PROCESS = /parent_process\(\)is(not)?None/;
/**
 * A rank, as the condition writes it (spaces removed): a name ending in `rank`, `get_rank()`, or
 * the launcher's variable read inline, `int(os.environ["LOCAL_RANK"])`,
 * `os.environ.get("RANK", "0")`, `os.getenv("RANK")`.
 */
const RANK = String.raw`(?:[\w.]*_?rank|[\w.]*get_rank\(\)|(?:int\()?(?:os\.)?(?:environ\[['"]\w*RANK['"]\]|(?:environ\.get|getenv)\(['"]\w*RANK['"](?:,[^()]*)?\))\)?)`;
/** Zero, as a number or as the string an environment variable holds. */
const ZERO = String.raw`(?:0|'0'|"0")`;
const RANK_COMPARISON = new RegExp(String.raw`(?:^|[^\w.])${RANK}(==|!=|>)${ZERO}$|^${ZERO}(==|!=|<)${RANK}$`);
/** `local_rank in (-1, 0)`: rank 0, or no distributed run at all (-1); one process either way. */
const RANK_IN_ZERO = new RegExp(String.raw`^${RANK}(in|notin)[(\[](?:-1,0|0,-1|0,?)[)\]]$`);
const MAIN_RANK_FLAG = /(?:^|\.)(is_main_process|is_local_main_process|is_global_zero|is_master|is_rank_zero|is_main_worker)(\(\))?$/;

interface GuardTest {
  kind: ProcessGuardKind;
  /** True when the condition holds only in the one process (`==`), false when only in the others. */
  inOne: boolean;
}

/** Reads one condition; `and` keeps a guard (both must hold), `or` and anything else loses it. */
function guardTest(condition: Node | null): GuardTest | undefined {
  if (!condition) return undefined;
  if (condition.type === 'parenthesized_expression') return guardTest(condition.namedChildren[0] ?? null);
  if (condition.type === 'not_operator') {
    const inner = guardTest(condition.childForFieldName('argument'));
    return inner && { kind: inner.kind, inOne: !inner.inOne };
  }
  if (condition.type === 'boolean_operator') {
    if (condition.childForFieldName('operator')?.text !== 'and') return undefined;
    // `rank == 0 and args.log_file`: the block runs in the one process at most.
    const parts = [guardTest(condition.childForFieldName('left')), guardTest(condition.childForFieldName('right'))];
    return parts.find((p) => p?.inOne);
  }
  const text = condition.text.replace(/\s+/g, '');
  let m = MAIN_PROCESS_NAME.exec(text);
  if (m) return { kind: 'main-process', inOne: (m[1] ?? m[2]) === '==' };
  m = PARENT_PROCESS.exec(text);
  if (m) return { kind: 'main-process', inOne: !m[1] };
  m = RANK_COMPARISON.exec(text);
  if (m) return { kind: 'rank-zero', inOne: (m[1] ?? m[2]) === '==' };
  m = RANK_IN_ZERO.exec(text);
  if (m) return { kind: 'rank-zero', inOne: m[1] === 'in' };
  if (MAIN_RANK_FLAG.test(text)) return { kind: 'rank-zero', inOne: true };
  return undefined;
}

/** Whether a block ends by leaving the function (`return`, `raise`, `sys.exit()`). */
function leavesFunction(block: Node | null): boolean {
  const last = block?.namedChildren.filter((c) => c.type !== 'comment').pop();
  if (!last) return false;
  if (last.type === 'return_statement' || last.type === 'raise_statement') return true;
  return last.type === 'expression_statement' && /^(sys\.exit|exit|os\._exit)\s*\(/.test(last.text);
}

export interface ProcessGuard {
  kind: ProcessGuardKind;
  /** The condition, for related information. */
  condition: Node;
}

/**
 * The guard on code that runs where the test holds (`inOne`) or where it does not: the one
 * process, or for a rank test every process but rank 0.
 */
function guardWhere(test: GuardTest | undefined, holds: boolean, condition: Node): ProcessGuard | undefined {
  if (!test) return undefined;
  if (test.inOne === holds) return { kind: test.kind, condition };
  return test.kind === 'rank-zero' ? { kind: 'not-rank-zero', condition } : undefined;
}

/** `if <guard>:`: the guard on its body, and on its `else:` (none when there is an `elif`). */
export function guardsOfBranches(ifStatement: Node): { body?: ProcessGuard; orElse?: ProcessGuard } {
  const condition = ifStatement.childForFieldName('condition');
  const test = guardTest(condition);
  if (!test) return {};
  const alternatives = ifStatement.childrenForFieldName('alternative');
  const plainElse = alternatives.length === 1 && alternatives[0]?.type === 'else_clause';
  return { body: guardWhere(test, true, condition!), orElse: plainElse ? guardWhere(test, false, condition!) : undefined };
}

/**
 * `if <test>: return` (no else): what follows it in the block runs where the test does not hold:
 * `if rank != 0: return` leaves rank 0, `if rank == 0: return` every rank but 0.
 */
export function guardAfter(ifStatement: Node): ProcessGuard | undefined {
  if (ifStatement.childForFieldName('alternative')) return undefined;
  const condition = ifStatement.childForFieldName('condition');
  if (!leavesFunction(ifStatement.childForFieldName('consequence'))) return undefined;
  return guardWhere(guardTest(condition), false, condition!);
}
