/** Steering a run the trainer owns: the balance policy and the learning-rate controller. */
export {
  balancePolicy,
  DEFAULT_POLICY,
  type Decision,
  type Direction,
  type PolicyConfig,
} from "./balance-policy.ts";
export {
  type ControlEvent,
  type ControlKnobs,
  type ControllerConfig,
  type ControllerState,
  DEFAULT_CONTROLLER,
  LrController,
} from "./controller.ts";
