/**
 * What every rule reads: the linked program and one process model per start-method scenario,
 * built once per analysis run.
 */
import type { Program } from '../model/program';
import type { ProcessModel } from '../model/processModel';
import { computeWriterSets, WriterSet } from '../model/writers';

export interface AnalysisContext {
  program: Program;
  models: Record<'fork' | 'spawn', ProcessModel>;
  writerSets(scenario: 'fork' | 'spawn'): WriterSet[];
}

export function analysisContext(program: Program, models: Record<'fork' | 'spawn', ProcessModel>): AnalysisContext {
  const cache = new Map<string, WriterSet[]>();
  return {
    program,
    models,
    writerSets(scenario) {
      let sets = cache.get(scenario);
      if (!sets) cache.set(scenario, (sets = computeWriterSets(models[scenario])));
      return sets;
    },
  };
}

/**
 * The context of a run whose rules need no process model (needsProcessModel said so): the writer
 * sets are empty, as no file handler can be written. Anything else that asks for the models
 * (an explanation, a fix) gets them from `build`, which also gives the program they were built
 * from (a program linked with every file's full facts).
 */
export function analysisContextWithoutModels(program: Program, build: () => AnalysisContext): AnalysisContext {
  let built: AnalysisContext | undefined;
  const full = () => (built ??= build());
  return {
    get program() {
      return built?.program ?? program;
    },
    models: {
      get fork() {
        return full().models.fork;
      },
      get spawn() {
        return full().models.spawn;
      },
    },
    writerSets: () => [],
  };
}
