/**
 * The learning-rate controller: after each judged step it asks the balance policy which way to move
 * and, when enough judged steps have passed since its last decision, changes the two learning rates
 * (and the number of D updates per step) by one fixed step, inside bounds around what the run started
 * with. Every change is an event (step, parameter, old -> new, reason) that the run records in
 * control.jsonl and the report and dashboard show.
 *
 * First, do no harm (issue 17). A run the controller has not yet steered is moved only by a clear
 * failure (balance-policy.ts, `holdUntilSteered`): divergence, D's gap past 0.6 in the first 50 judged
 * steps or past 0.75 later, D fooled outright, or a G lead the monitor reads with confidence >= 0.6.
 * Measured on main before it (seeds 0-9 of the benchmark table): the controller alone cost healthy runs
 * 13 points of high quality on ring8 and 28 on grid25 and lost modes on six seeds, for three reasons,
 * each found on tuning seeds 100-104: settling began at the first `balanced` reading (step ~700) while
 * G was still collapsed onto one mode (ring8 seed 102: 22% of its samples on the modes at 6,000 steps
 * against 48% without), an ordinary D lead slowed D on grid25, where the monitor reads D dominant with
 * confidence 0.6-0.8 for thousands of steps while G learns the grid (seed 101: a mode and 12 points
 * lost), and healthy grid25 reaches a gap of 0.6-0.68 after 5,000-15,000 steps, which switched R1 on.
 * So settling, finishing and the ordinary D-lead rule wait until the run has been steered
 * (`settleOnlySteered`); a D that is too strong shows a gap of 0.73-0.96 from its first logged steps.
 * With it no healthy run of the tuning seeds was moved at all (0 events in 10 runs of 6,000 steps).
 *
 * Ordinary moves (the policy's steps 6-7), ADA's integral rule:
 *  - every `interval` = 5 judged steps (100 training steps at the trainer's log interval of 20): the
 *    monitor's gap is a median of the last 8 steps, so acting more often would act on the same
 *    evidence twice;
 *  - by `step` = 0.8 on the leader's rate: five moves the same way change it by 3x; slow enough that
 *    one misread changes little;
 *  - D's update count is the coarser knob and goes first: slowing D removes one D update per step
 *    while there is more than one; speeding D (G ahead) adds one, up to `maxDSteps` = 3 (or the
 *    configured count when that is higher), before G is slowed: the original GAN algorithm's k D
 *    updates per G update, WGAN's n_critic. Measured on ring8 with lr_g ten times too high and a small
 *    D (tuning seeds 100-119): when only G was slowed, 8 of 20 runs ended on 0-1 mode (G slowed to
 *    ~2.6x lr_d while still collapsed from its first steps stayed collapsed); with D given up to 3
 *    updates, 14 of 20 ended healthy against 11, and none below 3 modes;
 *  - down to `ordinaryMinFactor` of the starting rate, never above it: 1/20 now that only a steered
 *    run gets ordinary D-lead moves (with 1/4, lr_d ten times too high stopped at 2.5x lr_g once the
 *    urgent moves were over, and ring8 tuning seeds 100-101 ended with 4-18% of their samples on the
 *    modes against 41-46% with 1/20 and finishing). It was 1/4 for healthy runs' sake: the first
 *    version also sped the other player up (by step^-0.5, up to 5x) and could cut a rate to 1/20; on
 *    grid25 at the default settings D leads for thousands of steps while G is still learning the grid
 *    (the gap answers G's progress, not the rates), so the integral wound up to lr_d / 20 and lr_g x5
 *    and the run fell from 17 to 8 of 25 modes. A sign rule cannot tell a lead that the rates cause
 *    from one they cannot change, so its reach is bounded instead. (A floor at the slower player's
 *    start was tried on the rescue settings, seeds 100-102: it lost a run that this floor rescues.)
 *  - R1 that an urgent move switched on is eased while the game is balanced (step 8): halved per
 *    interval (`r1Release` = 0.5) down to `r1Floor` = 0.025, never off. Measured on ring8 with lr_d
 *    ten times too high: R1 at 0.1 for the whole run kept all 8 modes but only 7-28% of the samples
 *    on them (a smooth D pulls G's samples onto the modes only loosely); switched off once balanced,
 *    D sharpened again, the gap came back to 0.6 within 100-1,200 steps and seed 102 fell to 3 modes;
 *    eased to 0.025 it kept 8 modes with 48% of its samples on them (single runs on tuning seeds
 *    100-102, with a floor variant; bench/RESULTS-steer.md lists them beside the benchmark).
 * Urgent moves (steps 1, 3, 4: divergence, or a gap past an extreme mark):
 *  - every `urgentInterval` = 2 judged steps (40 training steps), from the first judged steps on: a
 *    D ten times too fast has collapsed G onto one mode within ~40 steps (measured on ring8), so
 *    waiting for the monitor's warm-up and then moving 0.8 per 100 steps came too late;
 *  - by `urgentStep` = 0.5 (and one D update fewer): a factor of ten is undone in ~4 moves, ~160
 *    steps. While the player behind is slower than the leader it is doubled instead (up to the
 *    leader's rate and `raiseCap` = 10 times its own start), and the leader is halved only once they
 *    are level (issue 17). Slowing only the leader could not rescue a G started ten times too slow
 *    (lr_g / 10 with 3 D updates: 1 and 8 modes with 0-1% of the samples on them at 6,000 steps,
 *    tuning seeds 100-101); doubling it brought seed 100 to 8 modes with 44%. Only urgent moves raise:
 *    letting ordinary D-lead moves raise G too took lr_d x10's G to 1e-2, the rate of the broken
 *    'G too fast' setting, on evidence that first-do-no-harm does not count as clear, for no better
 *    result on tuning seeds 100-103 (5 of 8 strict either way);
 *  - D far ahead also switches R1 on (gamma `r1On` = 0.1) when it is off: slower rates alone never
 *    brought a collapsed G back (measured: 1 of 8 modes after 1,500 steps with lr_d at its bound and
 *    the gap still 0.8), because a collapsed G sits where a sharp D gives it no way out; R1 keeps D
 *    smooth on the data, and switched on at step 40 it brought the same run back to 8 of 8 modes.
 *    This is the mission's "regularisation" as a knob; once on it is eased, never switched off;
 *  - down to `minFactor` = 1/20 of the starting rate: room to undo a rate ten times too high, never so
 *    far that a player stops learning altogether.
 * Finishing (step 9, with the run's planned length known: the trainer's --steps, watch --steer --steps):
 * over the last `finish` = half of the budget a steered run's rates fall linearly to `finishFloor` = 1%
 * of where they were, as the remedy set's --lr-decay 0.5 does, instead of settling. Strict health needs
 * half the samples on the modes, which a healthy default ring8 run reaches at 3,000 steps on one tuning
 * seed of five; rescued runs of lr_d x10 (tuning seeds 100-101) reached 41-46% at 6,000 with it against
 * 18% with settling. R1 the controller switched on falls with the rates over the finish (`r1Fade`),
 * from its floor: kept at 0.025 it held a rescued lr_d x10 run's samples loosely on the modes (tuning
 * seeds 100-101 at 3,000 steps: 43-46% high quality without the fade, 51-54% with it).
 * Settling (step 9, without a known budget): once the monitor has read the game `balanced` for `settleAfter` = 5 decisions in a
 * row (500 training steps; an oscillating game does not count), every further such decision takes both
 * rates, and the bounds around them, down by `settle` = 0.95, until `settleFloor` = 1% of them is left;
 * any other decision pauses it (and 5 balanced decisions are needed again). Not in a run with its own
 * schedule (--lr-decay): two decays compound and froze G early (grid25 with the remedy set: 60% high
 * quality against 92%). Why settle at all: holding the balance is not converging to it. The convergence
 * result behind TTUR needs step sizes that shrink (Robbins-Monro), and the remedy set's precision came
 * from its decay; a controller that only slowed players brought runs with lr_d ten times too high back
 * to 7-8 modes with only ~26% of the samples on them. Chosen on the rescue settings, seeds 100-104 at
 * 6,000 steps (healthy: >= 7 of 8 modes and >= 25% high quality), 15 runs per variant: no settling 11
 * healthy; 0.95 counting every decision the policy calls balanced 13 (one lr_g x10 run, settled while
 * oscillating, collapsed to 1 mode); 0.95 counting only the monitor's balanced 14; 0.9 11 (G froze
 * before its samples were on the modes); 0.97 no better on the two settings tried.
 * Only an urgent move raises a rate above the one the run started with (the slower player, as above);
 * D updates per step stay in [1, max(configured count, maxDSteps)].
 */
import type { Evidence, Snapshot } from "../monitor/types.ts";
import { balancePolicy, DEFAULT_POLICY, type Decision, type PolicyConfig } from "./balance-policy.ts";

export interface ControllerConfig extends PolicyConfig {
  interval: number;
  urgentInterval: number;
  step: number;
  urgentStep: number;
  /** Floor of urgent moves, as a fraction of the starting rate. */
  minFactor: number;
  /** Floor of ordinary moves, as a fraction of the starting rate. */
  ordinaryMinFactor: number;
  /** D updates per step that speeding D may reach (the configured count, when higher, instead). */
  maxDSteps: number;
  /** R1's weight when D far ahead switches it on (0: never). */
  r1On: number;
  /** Factor on R1 per balanced interval, once the urgent lead is over (1: R1 stays as it was set). */
  r1Release: number;
  /** The weight R1 eases down to (it is never switched off again). */
  r1Floor: number;
  /** Balanced decisions in a row before the rates start to settle. */
  settleAfter: number;
  /** Factor on both rates per further balanced decision (1: no settling). */
  settle: number;
  /** The smallest share of its rates that settling leaves a run. */
  settleFloor: number;
  /** Settle only a run the controller has had to steer (a move for a problem), never one it left alone. */
  settleOnlySteered: boolean;
  /** With a known budget: the last fraction of it over which a steered run's rates fall linearly to
   *  `finishFloor` of them, instead of settling (0: off). */
  finish: number;
  finishFloor: number;
  /** How far above its start an urgent move may raise the player that is behind (1: never). */
  raiseCap: number;
  /** R1 the controller switched on falls with the rates while a steered run finishes. */
  r1Fade: boolean;
}

export const DEFAULT_CONTROLLER: Readonly<ControllerConfig> = Object.freeze({
  ...DEFAULT_POLICY,
  interval: 5,
  urgentInterval: 2,
  step: 0.8,
  urgentStep: 0.5,
  minFactor: 1 / 20,
  ordinaryMinFactor: 1 / 20,
  maxDSteps: 3,
  r1On: 0.1,
  r1Release: 0.5,
  r1Floor: 0.025,
  settleAfter: 5,
  settle: 0.95,
  settleFloor: 0.01,
  settleOnlySteered: true,
  finish: 0.5,
  finishFloor: 0.01,
  raiseCap: 10,
  r1Fade: true,
});

/** One change of one knob: what the run records and the dashboard marks on the curves. */
export interface ControlEvent {
  step: number;
  kind: "lr_change" | "d_steps_change" | "r1_change";
  param: "lr_d" | "lr_g" | "d_steps" | "r1";
  from: number;
  to: number;
  /** The policy's reason, or "settle" for the rates eased while the game stays balanced. */
  reason: Decision["reason"] | "settle" | "finish";
  /** The monitor's reading the decision acted on: its state, the state's confidence and evidence. */
  state: Decision["state"];
  confidence: number;
  evidence: Evidence[];
  /** The policy's numbered step that decided (balance-policy.ts), 9 for settling. */
  rule: number;
  gap?: number;
  /** Set on urgent moves (a bigger step, taken at once). */
  urgent?: true;
}

/** The knobs the controller turns. */
export interface ControlKnobs {
  lrD: number;
  lrG: number;
  /** D updates per training step. */
  dSteps: number;
  /** R1's weight gamma (0: off). */
  r1: number;
}

export interface ControllerState {
  /** Judged steps seen at the last decision. */
  lastDecisionAt: number;
  /** A move for a problem has been made (settling may begin). */
  steered?: boolean;
  /** Balanced decisions in a row. */
  balancedRun?: number;
  /** The share of the rates that settling has left (1: none taken). */
  scale?: number;
}

export class LrController {
  private lastDecisionAt = 0;
  private balancedRun = 0;
  private scale = 1;
  private steered = false;
  /** The last decision's R1 change came from the finish (its event's reason is "finish"). */
  private r1Faded = false;

  constructor(
    /** The run's starting knobs; `decays`: the run has a learning-rate schedule of its own (no settling). */
    readonly base: {
      lrD: number;
      lrG: number;
      dSteps?: number;
      r1?: number;
      decays?: boolean;
      /** The run's planned length, when known (a budget to finish within). */
      steps?: number;
    },
    readonly config: ControllerConfig = DEFAULT_CONTROLLER,
  ) {}

  /**
   * Called after each logged training step `step` with the monitor's snapshot and the current knobs;
   * returns the new knobs (in force from the next update) and the events, or nothing when they stay.
   */
  observe(
    s: Snapshot,
    knobs: ControlKnobs,
    step = s.step,
  ): (ControlKnobs & { events: ControlEvent[]; decision: Decision }) | undefined {
    const d = balancePolicy(s, this.config, this.steered);
    const wait = d.urgent ? this.config.urgentInterval : this.config.interval;
    if (s.completedSteps - this.lastDecisionAt < wait) return undefined;
    this.lastDecisionAt = s.completedSteps;
    const finishing = this.config.finish > 0 && this.base.steps !== undefined && !this.base.decays;
    const settled = finishing ? this.finishStep(step) : this.settleStep(d);
    const next = this.move(d, knobs, settled, finishing);
    const common = {
      step,
      state: d.state,
      confidence: s.confidence,
      // the comparison of the policy's own rule first, then the monitor's reasons for its state
      evidence: [...(d.test ? [d.test] : []), ...s.evidence.map((e) => ({ ...e }))],
      ...(d.gap !== undefined ? { gap: d.gap } : {}),
      ...(d.urgent ? { urgent: true as const } : {}),
    };
    const changes = [
      ["d_steps_change", "d_steps", knobs.dSteps, next.dSteps],
      ["r1_change", "r1", knobs.r1, next.r1],
      ["lr_change", "lr_d", knobs.lrD, next.lrD],
      ["lr_change", "lr_g", knobs.lrG, next.lrG],
    ] as const;
    if (d.direction !== "hold" && changes.some(([, , from, to]) => from !== to)) this.steered = true;
    const events: ControlEvent[] = changes
      .filter(([, , from, to]) => from !== to)
      .map(([kind, param, from, to]) => {
        // R1 faded with the finish is the finish's change too, whatever the policy read.
        const settling = (kind === "lr_change" && settled !== 1) || (param === "r1" && this.r1Faded);
        return {
          ...common,
          reason: settling ? (finishing ? "finish" : "settle") : d.reason,
          rule: settling ? 9 : d.rule,
          kind,
          param,
          from,
          to,
        };
      });
    return events.length > 0 ? { ...next, events, decision: d } : undefined;
  }

  state(): ControllerState {
    return {
      lastDecisionAt: this.lastDecisionAt,
      balancedRun: this.balancedRun,
      scale: this.scale,
      ...(this.steered ? { steered: true } : {}),
    };
  }

  restore(s: ControllerState): void {
    this.lastDecisionAt = s.lastDecisionAt;
    this.balancedRun = s.balancedRun ?? 0;
    this.scale = s.scale ?? 1;
    this.steered = s.steered ?? false;
  }

  /**
   * Step 9, settling: counts balanced decisions in a row and, past `settleAfter`, shrinks the share
   * of the rates left to the run by `settle` (not below `settleFloor`). Returns the factor this
   * decision applies to both rates (1: none).
   */
  private settleStep(d: Decision): number {
    if (this.base.decays || (this.config.settleOnlySteered && !this.steered)) return 1;
    // The policy holds on an oscillating game too (its gap is in range); settling waits for the
    // monitor's own "balanced": slowing both players mid-swing froze one rescued run on 1 mode.
    const calm = d.reason === "balanced" && d.state === "balanced";
    this.balancedRun = calm ? this.balancedRun + 1 : 0;
    if (this.balancedRun <= this.config.settleAfter) return 1;
    const scale = Math.max(this.config.settleFloor, this.scale * this.config.settle);
    const f = scale / this.scale;
    this.scale = scale;
    return f;
  }

  /**
   * Step 9 with a known budget, finishing: over the budget's last `finish` fraction a steered run's
   * rates fall linearly to `finishFloor` of them (CycleGAN's linear decay; the remedy set's precision
   * came from one). Returns the factor this decision applies to both rates (1: none).
   */
  private finishStep(step: number): number {
    if (!this.steered) return 1;
    const steps = this.base.steps!;
    const start = steps * (1 - this.config.finish);
    const floor = this.config.finishFloor;
    const share = step <= start ? 1 : Math.max(floor, 1 - ((1 - floor) * (step - start)) / (steps - start));
    const f = share / this.scale;
    this.scale = share;
    return f;
  }

  /** The knobs after one decision. */
  private move(d: Decision, k: ControlKnobs, settled: number, finishing = false): ControlKnobs {
    const maxDSteps = Math.max(this.base.dSteps ?? 1, this.config.maxDSteps);
    let [fd, fg, dSteps, r1] = [1, 1, k.dSteps, k.r1];
    if (d.urgent) {
      const u = this.config.urgentStep;
      if (d.direction === "slow_both") [fd, fg] = [u, u];
      if (d.direction === "slow_g") fg = u;
      if (d.direction === "slow_d") {
        fd = u;
        dSteps = Math.max(1, k.dSteps - 1);
        if (r1 === 0) r1 = this.config.r1On;
      }
    } else {
      const s = this.config.step;
      if (d.direction === "slow_d") {
        if (k.dSteps > 1) dSteps = k.dSteps - 1;
        else fd = s;
      }
      if (d.direction === "slow_g") {
        if (k.dSteps < maxDSteps) dSteps = k.dSteps + 1;
        else fg = s;
      }
      // R1 the controller switched on is eased once the game is balanced again: halved per interval
      // down to r1Floor (never below the run's own R1), never off.
      const floorR1 = Math.max(this.base.r1 ?? 0, this.config.r1Floor);
      if (d.reason === "balanced" && r1 > floorR1) r1 = Math.max(floorR1, r1 * this.config.r1Release);
    }
    // While a steered run finishes, R1 the controller switched on falls with the rates: a smooth D
    // pulls G's samples onto the modes only loosely, and precision is what the finish is for.
    const ownR1 = this.base.r1 ?? 0;
    const eased = r1;
    if (this.config.r1Fade && finishing && this.scale < 1 && r1 > ownR1)
      r1 = Math.max(ownR1, Math.min(r1, this.config.r1Floor * this.scale));
    this.r1Faded = r1 !== eased;
    // Floors: urgent moves reach minFactor of the player's own start, ordinary moves ordinaryMinFactor;
    // the whole box (start and floors) shrinks with the share settling has left.
    const share = d.urgent ? this.config.minFactor : this.config.ordinaryMinFactor;
    const [topD, topG] = [this.base.lrD * this.scale, this.base.lrG * this.scale];
    const [lrD, lrG] = [k.lrD * settled, k.lrG * settled];
    // On a clear failure the player that is behind, while slower than the leader, is sped up instead
    // of the leader being slowed (up to the leader's rate and raiseCap times its own start): a G that
    // starts ten times slower than D (lr_g / 10 with 3 D updates) was otherwise brought back to the
    // modes but never learned to put its samples on them (1% high quality at 6,000 steps).
    const raiseG = d.urgent && d.direction === "slow_d";
    const raiseD = d.urgent && d.direction === "slow_g";
    const capG = Math.min(lrD, topG * this.config.raiseCap);
    const capD = Math.min(lrG, topD * this.config.raiseCap);
    if (raiseG && lrG < capG) fd = 1;
    if (raiseD && lrD < capD) fg = 1;
    return {
      lrD: raiseD
        ? this.raised(lrD, 1 / this.config.urgentStep, capD)
        : this.bound(lrD, fd, topD, topD * share),
      lrG: raiseG
        ? this.raised(lrG, 1 / this.config.urgentStep, capG)
        : this.bound(lrG, fg, topG, topG * share),
      dSteps,
      r1,
    };
  }

  /** lr · f (f > 1) up to `top`; a rate at or above it stays where it is (with raiseCap 1, never above its start). */
  private raised(lr: number, f: number, top: number): number {
    return lr >= top ? lr : Math.min(top, lr * f);
  }

  /**
   * lr · f, kept within [floor, top]; a rate already below the floor (an urgent move put it there)
   * is not raised by an ordinary move.
   */
  private bound(lr: number, f: number, top: number, floor: number): number {
    if (f === 1) return lr;
    // A rate a move raised above the start (raiseCap) is slowed from where it is, not reset to it.
    return Math.min(Math.max(top, lr), Math.max(Math.min(lr, floor), lr * f));
  }
}
