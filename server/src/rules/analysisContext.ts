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
