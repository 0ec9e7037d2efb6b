/**
 * The names a run may choose from (activations, optimizers), apart from the code that implements them:
 * the CLI and the config validation need the names, and importing them must not load TensorFlow.js
 * (analyze and watch start without it).
 */
export const ACTIVATIONS = ["relu", "leaky_relu", "tanh", "elu"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ["adam", "sgd"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
