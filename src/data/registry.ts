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
    throw new DatasetError("usage", {
      en: `unknown dataset "${name}"; choose one of: ${datasetNames.join(", ")}, or give a .csv file of 2D points`,
      zh: `未知数据集 "${name}"；可选：${datasetNames.join(", ")}，或一个二维点的 .csv 文件`,
    });
  }
  return DATASETS[name];
}
