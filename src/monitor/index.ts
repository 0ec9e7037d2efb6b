/**
 * The monitor's public door: the streaming BalanceMonitor, its output types, the thresholds table,
 * the text renderer and the signal building blocks a TypeScript user may want on their own.
 */

export { type MessageGroup, monitorMessages, renderMessage } from "./messages.ts";
export { BalanceMonitor, type MonitorOptions } from "./monitor.ts";
export { renderReportText } from "./render/render-text.ts";
export { BucketCurve, type CurveBucket } from "./signals/curve.ts";
export { type Oscillation, oscillationOf } from "./signals/oscillation.ts";
export {
  ASSUMED_RVC_DISCRIMINATORS,
  estimateDOutputs,
  gapFromTerms,
  gapOf,
  jsdBoundFor,
  type Reference,
  resolveReference,
} from "./signals/reference.ts";
export { DebiasedEma } from "./signals/smoothing.ts";
export { type Trend, trendDirection, trendOf } from "./signals/trend.ts";
export { MONITOR_THRESHOLDS, type MonitorThresholds, resolveThresholds } from "./thresholds.ts";
export * from "./types.ts";
export { EpochMap } from "./verdict/epochs.ts";
