/**
 * A run's verdict: its health, its main problem and a one-sentence summary, decided in this order:
 *
 * 1. no points: "not enough data yet" (warning: nothing can be said, which is not healthy);
 * 2. a non-finite loss / D output / gradient norm: unhealthy, diverged ("from the first logged step"
 *    when the first judged step already was);
 * 3. an explosion: unhealthy, diverged;
 * 4. no step with both losses: the balance cannot be judged (warning);
 * 5. only warm-up steps so far: "not enough data yet" (warning);
 * 5b. losses that cannot come from the assumed family with its K (family-fit.ts): "cannot judge"
 *    (warning), naming --loss and --discriminators, instead of a reading against the wrong equilibrium;
 * 6. otherwise from the timeline (warm-up excluded), with share = the fraction of the second half of
 *    the judged steps a state held (an early problem the run grew out of, such as D winning easily at
 *    the start, is the early phase, not the run's problem); the shares are thresholds (thresholds.ts:
 *    `verdictShareFinal`, `verdictShareSevere`, `verdictShareWarn`):
 *    - unhealthy: the run ends in a problem state, problem states having held at least
 *      `verdictMinSteps` judged steps in a row at the end (persistence: a problem just entered is not
 *      yet the run's problem; g_dominant then stalled is one stretch of trouble), and that state
 *      is stalled, collapse_suspected or diverged, or problem states together held at least
 *      `verdictShareFinal` of it (a starved D reads g_dominant and stalled by turns); or stalled /
 *      collapse_suspected held at least `verdictShareSevere`;
 *    - warning: the run ends in a problem state, or a problem state held at least `verdictShareWarn`
 *      of it, or the long drift shows one player slowly winning;
 *    - healthy otherwise.
 *    A relativistic loss (ragan, rahinge) whose only problem is D's lead is a warning, not unhealthy:
 *    what makes a dominant D harmful is a G starved of gradient, and a relativistic G's loss grows with
 *    D's relative margin (its gradient does not vanish), so a confident D is common in runs with good
 *    samples (Jolicoeur-Martineau 2018; issue 14: "a D loss near 0 can be normal").
 *    The primary problem is the final state when it is a problem, else the problem state with the
 *    largest share (at least `verdictShareWarn`), else the drift's direction (d_dominant / g_dominant)
 *    or null. When D's gap averaged at least `collapseLeadGap` over the second half with loss_gen far
 *    above its equilibrium (`collapseGenRel`), the advice adds the collapse reading: check the samples
 *    for mode collapse (collapse-reading.ts).
 */

import type { LossFamily } from "../../types.ts";
import { round3 } from "../round.ts";
import { type CollapseReading, collapseReading } from "../rules/collapse-reading.ts";
import { ev } from "../rules/evidence.ts";
import { FIT_SLACK, familyMisfit } from "../rules/family-fit.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import { type Advice, type Health, type MessageRef, PROBLEM_STATES, type StateName } from "../types.ts";
import { adviseFor } from "./advice.ts";
import { driftWinner, finalRel, type RunFacts } from "./run-facts.ts";

export interface VerdictCore {
  health: Health;
  primary: StateName | null;
  summary: MessageRef;
  advice: Advice[];
  enoughData: boolean;
}

const SEVERE: StateName[] = ["stalled", "collapse_suspected", "diverged"];
const RELATIVISTIC: readonly LossFamily[] = ["ragan", "rahinge"];

export function buildVerdict(f: RunFacts, t: MonitorThresholds): VerdictCore {
  const advise = (
    primary: StateName | null,
    extra: { drift?: "d" | "g"; fromDrift?: boolean; enough: boolean; collapse?: CollapseReading },
  ) => adviseFor(f, primary, extra);

  if (f.points === 0) {
    return { health: "warning", primary: null, summary: ref("noPoints"), advice: [], enoughData: false };
  }
  if (f.diverged) {
    const d = f.diverged;
    const summary = d.fromStart
      ? ref("divergedFromStart", { step: d.step, tag: d.tag, value: String(d.value) })
      : ref("diverged", {
          step: d.step,
          tag: d.tag,
          value: String(d.value),
          finiteTags: d.finiteTags.join(", "),
        });
    return {
      health: "unhealthy",
      primary: "diverged",
      summary,
      advice: advise("diverged", { enough: true }),
      enoughData: true,
    };
  }
  if (f.explosion) {
    const e = f.explosion;
    return {
      health: "unhealthy",
      primary: "diverged",
      summary: ref("exploded", { step: e.step, tag: e.tag, value: e.value }),
      advice: advise("diverged", { enough: true }),
      enoughData: true,
    };
  }
  if (f.judged === 0) {
    const both = f.seenTags.includes("loss_disc") && f.seenTags.includes("loss_gen");
    return {
      health: "warning",
      primary: null,
      summary: both
        ? ref("notEnoughData", { steps: 0, needed: t.warmupSteps })
        : ref("noDiscLoss", { tags: f.seenTags.join(", ") }),
      advice: both ? advise(null, { enough: false }) : [{ key: "logBothLosses", params: {}, evidence: [] }],
      enoughData: false,
    };
  }
  const judgedAfterWarmup = f.timeline.filter((e) => e.state !== "warmup").reduce((s, e) => s + e.steps, 0);
  if (judgedAfterWarmup === 0) {
    // A pasted line or two (the commonest RVC question, "is this normal?"): answer what one line can
    // answer, whether the values are ones this family can write and where they sit against its
    // equilibrium, and say that a trend needs more lines.
    const eq = f.ref.equilibrium;
    const values =
      Number.isFinite(f.smoothed.disc) && Number.isFinite(f.smoothed.gen) && eq.loss_gen !== null;
    return {
      health: "warning",
      primary: null,
      summary: values
        ? ref("fewSteps", {
            steps: f.judged,
            needed: t.warmupSteps,
            disc: round3(f.smoothed.disc),
            gen: round3(f.smoothed.gen),
            eqDisc: round3(eq.loss_disc),
            eqGen: round3(eq.loss_gen as number),
            family: f.ref.family,
            k: f.ref.discriminators,
            fits: familyMisfit(f.ref, f.smoothed.disc, f.smoothed.gen) === undefined,
          })
        : ref("notEnoughData", { steps: f.judged, needed: t.warmupSteps }),
      advice: advise(null, { enough: false }),
      enoughData: false,
    };
  }

  const misfit = familyMisfit(f.ref, f.smoothed.disc, f.smoothed.gen);
  if (misfit) {
    const params = {
      family: f.ref.family,
      k: f.ref.discriminators,
      disc: round3(f.smoothed.disc),
      gen: round3(f.smoothed.gen),
      value: round3(misfit.value),
      bound: round3(misfit.bound),
      rule: misfit.rule,
    };
    const limit = misfit.bound - FIT_SLACK * Math.abs(misfit.bound);
    return {
      health: "warning",
      primary: null,
      summary: ref("cannotJudge", params),
      advice: [
        { key: "nameFamily", params, evidence: [ev(`family_fit.${misfit.rule}`, misfit.value, limit, "<")] },
      ],
      enoughData: true,
    };
  }

  const share = new Map<StateName, number>();
  const firstFrom = new Map<StateName, number>();
  const half = judgedAfterWarmup / 2;
  let left = half;
  for (let i = f.timeline.length - 1; i >= 0 && left > 0; i--) {
    const e = f.timeline[i];
    if (e.state === "warmup") continue;
    const taken = Math.min(e.steps, left);
    left -= taken;
    share.set(e.state, (share.get(e.state) ?? 0) + taken / half);
  }
  for (const e of f.timeline)
    if (share.has(e.state) && !firstFrom.has(e.state)) firstFrom.set(e.state, e.fromStep);
  const final = f.finalState;
  const finalEntry = f.timeline.at(-1);
  const isProblem = (s: StateName) => PROBLEM_STATES.includes(s);
  let top: StateName | null = null;
  for (const s of PROBLEM_STATES)
    if (
      (share.get(s) ?? 0) >= t.verdictShareWarn &&
      (top === null || (share.get(s) ?? 0) > (share.get(top) ?? 0))
    )
      top = s;
  const drift = driftWinner(f.drift, finalRel(f), t.trendZ, t.driftChange);

  let health: Health = "healthy";
  const shareOf = (s: StateName) => share.get(s) ?? 0;
  // The problems of the second half together: a starved D reads g_dominant and stalled by turns.
  let problemShare = 0;
  for (const s of PROBLEM_STATES) problemShare += shareOf(s);
  // Persistence counts the whole trailing stretch of problem states: a starved D that reads
  // g_dominant and then stalled has been in trouble all along, not since the last change of name.
  let trailingProblemSteps = 0;
  for (let i = f.timeline.length - 1; i >= 0 && isProblem(f.timeline[i].state); i--)
    trailingProblemSteps += f.timeline[i].steps;
  const persisted = isProblem(final) && (final === "diverged" || trailingProblemSteps >= t.verdictMinSteps);
  if (
    (persisted && (SEVERE.includes(final) || problemShare >= t.verdictShareFinal)) ||
    shareOf("stalled") >= t.verdictShareSevere ||
    shareOf("collapse_suspected") >= t.verdictShareSevere
  ) {
    health = "unhealthy";
  } else if (isProblem(final) || top !== null || drift !== undefined) {
    health = "warning";
  }
  const primary: StateName | null = isProblem(final)
    ? final
    : (top ?? (drift === "d" ? "d_dominant" : drift === "g" ? "g_dominant" : null));
  if (health === "unhealthy" && primary === "d_dominant" && RELATIVISTIC.includes(f.ref.family))
    health = "warning";

  let summary: MessageRef;
  const fromDrift = primary !== null && !share.has(primary);
  if (fromDrift && f.drift && drift) {
    summary = ref("drift", {
      winner: drift,
      discChange: f.drift.loss_disc.change,
      genChange: f.drift.loss_gen.change,
      final,
    });
  } else if (primary !== null && primary === final && finalEntry && shareOf(final) < t.verdictShareWarn) {
    summary = ref("finalProblem", { state: final, fromStep: finalEntry.fromStep });
  } else if (primary !== null && share.has(primary)) {
    summary = ref("problem", {
      state: primary,
      fromStep: firstFrom.get(primary) ?? 0,
      share: round3(shareOf(primary)),
      final,
    });
  } else if (f.ref.equilibrium.loss_gen !== null) {
    const rel = finalRel(f);
    const near =
      rel !== undefined && Math.abs(rel.disc) <= t.equilibriumBand && Math.abs(rel.gen) <= t.equilibriumBand;
    summary = ref(near ? "healthy" : "healthyOffEq", {
      disc: round3(f.smoothed.disc),
      gen: round3(f.smoothed.gen),
      eqDisc: round3(f.ref.equilibrium.loss_disc),
      eqGen: round3(f.ref.equilibrium.loss_gen),
    });
  } else {
    summary = ref("healthyNoEq", { disc: round3(f.smoothed.disc), gen: round3(f.smoothed.gen) });
  }
  const collapse = collapseReading(f.leadGap, finalRel(f), t);
  return {
    health,
    primary,
    summary,
    advice: advise(primary, { drift, fromDrift, enough: true, ...(collapse ? { collapse } : {}) }),
    enoughData: true,
  };
}

function ref(key: string, params: MessageRef["params"] = {}): MessageRef {
  return { key, params };
}
