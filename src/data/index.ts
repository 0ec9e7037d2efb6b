/** The dataset layer's public surface: built-in 2D datasets, a user's points, and the registry. */

export { gaussian, grid25, ring8 } from "./builtin-mixtures.ts";
export { moons, spiral } from "./curves.ts";
export type { Box, Dataset, Modes, Point2 } from "./dataset.ts";
export { DatasetError, type DatasetErrorCode } from "./dataset-error.ts";
export { gaussianMixture, type MixtureSpec } from "./gaussian-mixture.ts";
export { loadPointsCsv, type PointsDatasetOptions, parsePointsCsv, pointsDataset } from "./points-csv.ts";
export { type DatasetName, datasetNames, getDataset, isDatasetName } from "./registry.ts";
