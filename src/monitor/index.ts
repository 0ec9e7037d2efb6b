/**
 * The monitor's public door: the streaming BalanceMonitor, its output types, the thresholds table,
 * the text renderer and the signal building blocks a TypeScript user may want on their own.
 */

export { BucketCurve, type CurveBucket } from "./curve.ts";
export { EpochMap } from "./epochs.ts";
export { type MessageGroup, monitorMessages, renderMessage } from "./messages.ts";
export { BalanceMonitor, type MonitorOptions } from "./monitor.ts";
export { type Oscillation, oscillationOf } from "./oscillation.ts";
export {
  ASSUMED_RVC_DISCRIMINATORS,
  estimateDOutputs,
  gapFromTerms,
  gapOf,
  jsdBoundFor,
  type Reference,
  resolveReference,
} from "./reference.ts";
export { renderReportText } from "./render-text.ts";
export { DebiasedEma } from "./smoothing.ts";
export { MONITOR_THRESHOLDS, type MonitorThresholds, resolveThresholds } from "./thresholds.ts";
export { type Trend, trendDirection, trendOf } from "./trend.ts";
export * from "./types.ts";
