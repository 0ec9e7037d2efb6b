/** The built-in datasets by name, for the CLI and the trainer's config. */

import { gaussian, grid25, ring8 } from "./builtin-mixtures.ts";
import { moons, spiral } from "./curves.ts";
import type { Dataset } from "./dataset.ts";
import { DatasetError } from "./dataset-error.ts";

const DATASETS = { ring8, grid25, moons, spiral, gaussian } as const;

export type DatasetName = keyof typeof DATASETS;

/** In the order help texts list them: the two benchmarks first. */
export const datasetNames: readonly DatasetName[] = Object.freeze(Object.keys(DATASETS) as DatasetName[]);

export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** The built-in dataset called `name`; a "usage" DatasetError listing the allowed names otherwise. */
export function getDataset(name: string): Dataset {
  if (!isDatasetName(name)) {
    throw new DatasetError("usage", `unknown dataset "${name}"; choose one of: ${datasetNames.join(", ")}`);
  }
  return DATASETS[name];
}
