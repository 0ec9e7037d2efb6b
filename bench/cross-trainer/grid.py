"""The grid the cross-trainer corpus draws its runs from, as one seeded sampler.

Run i's settings come from numpy's PCG64 seeded with (base_seed, i) alone, so any run can be redrawn
on its own, in any order, on any machine: the corpus is resumable and extendable by index. Every
choice below is a list with its probabilities, so the grid is readable here and in corpus/README.md.

Why these ranges: they span what 2-D GAN code in the wild uses (ReLU / leaky ReLU / tanh MLPs, latent
2-256, batch 32-1024, Adam with the DCGAN, WGAN-GP and default betas, RMSprop, SGD) and the settings the
literature knows break a GAN. Half the runs carry no deliberate failure, so both classes are
well represented whatever the labels decide: a "healthy" setting can still end poor, and a "failure"
setting can still end balanced; the truth comes from the samples, never from the setting.
"""

import math

import numpy as np

ACTIVATIONS = (["relu", "leaky_relu", "tanh"], [0.45, 0.35, 0.20])
WIDTHS = ([32, 64, 128, 256, 512], [0.15, 0.30, 0.30, 0.17, 0.08])
DEPTHS = ([1, 2, 3, 4], [0.15, 0.45, 0.30, 0.10])
LATENTS = ([2, 4, 8, 16, 32, 64, 128, 256], None)
BATCHES = ([32, 64, 128, 256, 512, 1024], [0.12, 0.18, 0.22, 0.22, 0.16, 0.10])
OPTIMIZERS = (["adam", "rmsprop", "sgd"], [0.6, 0.2, 0.2])
ADAM_BETAS = ([(0.5, 0.999), (0.0, 0.9), (0.9, 0.999), (0.5, 0.9)], None)
BASE_LR = {
    "adam": [1e-4, 2e-4, 5e-4, 1e-3, 2e-3],
    "rmsprop": [1e-4, 2e-4, 5e-4, 1e-3],
    "sgd": [2e-3, 5e-3, 1e-2, 2e-2],
}
# TTUR-style: D's rate is sometimes a small multiple of G's in ordinary practice.
LR_D_RATIO = ([1, 2, 4], [0.7, 0.2, 0.1])
LOSSES = (["bce", "bce_minimax", "lsgan", "hinge", "wgan_gp", "ragan"], [0.24, 0.08, 0.20, 0.16, 0.14, 0.18])
STEPS = ([2000, 3000, 4000, 6000, 8000, 10000], [0.1, 0.15, 0.2, 0.2, 0.15, 0.2])
LOG_INTERVALS = ([1, 2, 5, 10, 20, 50, 100], [0.06, 0.07, 0.12, 0.20, 0.20, 0.20, 0.15])
EVAL_INTERVALS = ([200, 250, 400, 500], None)
# The known failure settings; "none" is an ordinary setting from the grid above.
FAILURES = (
    ["none", "lr_d_x10", "lr_g_x10", "tiny_d", "huge_d", "sgd_high", "minimax_g", "dead_relu"],
    [0.5] + [0.5 / 7] * 7,
)
MODE_STD_FRACTIONS = ([0.0125, 0.025, 0.05, 0.1], None)

# The strata of the corpus. "grid" is the grid above (runs 0-329). Under it only about a quarter of
# the runs end healthy (tight modes, SGD, short runs and the failure settings all end poor), so
# "lean" draws runs with more healthy endings for a second stratum: no failure setting, Adam, and the
# two wider mode spreads; every other setting as in the grid. The labels still come from the samples.
STRATA = {
    "grid": {"optimizers": OPTIMIZERS, "failures": FAILURES, "fractions": MODE_STD_FRACTIONS},
    "lean": {"optimizers": (["adam"], None), "failures": (["none"], None), "fractions": ([0.05, 0.1], None)},
}

# What a run may cost, in the units of estimated_seconds(): a redraw keeps the corpus to hours on one
# core (the machine is shared). The skew this puts on the grid (fewer wide nets on big batches) is said
# in the corpus README; the settings every run actually had are committed with it.
MAX_SECONDS = 120.0
# Seconds per unit of work, measured on the generation machine (1 thread): 128-wide, 2 hidden layers,
# batch 256, BCE took 1.9 ms per step; and what each update costs whatever its size (Python and
# PyTorch's dispatch: 10,000 steps of small nets took 17 s where the arithmetic alone predicts 5).
SECONDS_PER_UNIT = 1.9e-3 / (256 * (25_000 + 3 * 17_000))
SECONDS_PER_UPDATE = 5e-4


def pick(rng, options):
    values, p = options
    return values[rng.choice(len(values), p=p)]


def ring(k, radius):
    return [[radius * math.cos(2 * math.pi * i / k), radius * math.sin(2 * math.pi * i / k)] for i in range(k)]


def grid(side, gap):
    axis = [(i - (side - 1) / 2) * gap for i in range(side)]
    return [[x, y] for x in axis for y in axis]


def spiral(k, turns, r_max):
    """k modes along an Archimedean spiral r = a * theta, equally spaced in arc length (theta^2 linear)."""
    t1 = 2 * math.pi * turns
    t0 = t1 * 0.25
    a = r_max / t1
    thetas = [math.sqrt(t0**2 + i * (t1**2 - t0**2) / (k - 1)) for i in range(k)]
    return [[a * t * math.cos(t), a * t * math.sin(t)] for t in thetas]


def min_spacing(centres):
    c = np.asarray(centres)
    d = np.sqrt(((c[:, None, :] - c[None, :, :]) ** 2).sum(-1))
    d[np.arange(len(c)), np.arange(len(c))] = np.inf
    return float(d.min())


def sample_dataset(rng, fractions=MODE_STD_FRACTIONS):
    """A mixture of equal isotropic Gaussians with explicit centres, so the evaluator can score it."""
    kind = pick(rng, (["ring", "grid", "spiral"], [0.4, 0.35, 0.25]))
    if kind == "ring":
        k, radius = pick(rng, ([6, 8, 10, 12], None)), pick(rng, ([1.0, 2.0, 4.0], None))
        centres, name = ring(k, radius), f"ring{k}-r{radius:g}"
    elif kind == "grid":
        side, gap = pick(rng, ([3, 4, 5, 6], None)), pick(rng, ([1.0, 2.0], None))
        centres, name = grid(side, gap), f"grid{side * side}-g{gap:g}"
    else:
        k, turns, r_max = pick(rng, ([10, 14, 20], None)), pick(rng, ([1.5, 2.0], None)), pick(rng, ([2.0, 4.0], None))
        centres, name = spiral(k, turns, r_max), f"spiral{k}-t{turns:g}-r{r_max:g}"
    # Spread relative to the nearest-mode spacing, so "3 std" means the same thing on every dataset:
    # from as tight as the project's ring8 (0.013 of its spacing) and grid25 (0.025) to blobs (0.1)
    # whose high-quality discs (3 std) still leave 40% of the spacing between modes.
    fraction = pick(rng, fractions)
    std = float(f"{fraction * min_spacing(centres):.4g}")
    extent = max(max(abs(x), abs(y)) for x, y in centres)
    return {
        "kind": kind,
        "name": f"{name}-f{fraction:g}",
        "centres": [[round(x, 6), round(y, 6)] for x, y in centres],
        "std": std,
        # The JSD grid's box and the "exploded" scale: 1.5 times the modes' extent (ring8's is 1.53).
        "box_half": round(1.5 * extent, 4),
    }


def mlp_params(inputs, width, depth, outputs):
    return inputs * width + (depth - 1) * width * width + width * outputs


def estimated_seconds(cfg):
    p_g = mlp_params(cfg["latent"], cfg["g_width"], cfg["g_depth"], 2)
    p_d = mlp_params(2, cfg["d_width"], cfg["d_depth"], 1)
    gp = 3 if cfg["loss"] == "wgan_gp" else 1  # the penalty's double backward
    per_step = cfg["batch"] * (cfg["d_steps"] * (2 * p_d * gp + p_g / 3) + p_g + p_d)
    return cfg["steps"] * (per_step * SECONDS_PER_UNIT + (cfg["d_steps"] + 1) * SECONDS_PER_UPDATE)


def sample_shape(rng, cfg):
    """The settings the cost depends on but the length does not: redrawn while a run is over budget
    (redrawing the length too made short runs, which mostly end undertrained, far commoner)."""
    cfg["g_width"], cfg["g_depth"] = pick(rng, WIDTHS), pick(rng, DEPTHS)
    cfg["d_width"], cfg["d_depth"] = pick(rng, WIDTHS), pick(rng, DEPTHS)
    cfg["batch"] = pick(rng, BATCHES)


def apply_failure(rng, cfg):
    f = cfg["failure"]
    if f == "lr_d_x10":
        cfg["lr_d"] = 10 * cfg["lr_g"]
    elif f == "lr_g_x10":
        cfg["lr_g"] = 10 * cfg["lr_d"]
    elif f == "tiny_d":
        cfg["d_width"], cfg["d_depth"] = pick(rng, ([2, 4, 8], None)), 1
    elif f == "huge_d":
        cfg["d_width"], cfg["d_depth"] = 512, pick(rng, ([3, 4], None))
        cfg["g_width"], cfg["g_depth"] = pick(rng, ([32, 64], None)), pick(rng, ([1, 2], None))
        cfg["batch"] = min(cfg["batch"], 128)
    elif f == "sgd_high":
        cfg["optimizer"], cfg["momentum"] = "sgd", pick(rng, ([0.0, 0.9], None))
        cfg["lr_g"] = cfg["lr_d"] = pick(rng, ([0.1, 0.3, 1.0], None))
    elif f == "minimax_g":
        cfg["loss"] = "bce_minimax"
        cfg["lr_d"] = cfg["lr_g"] * pick(rng, ([1, 3], None))
    elif f == "dead_relu":
        # Hidden biases shifted down at initialisation: units whose pre-activation stays below 0 never
        # pass a gradient again (from a few dead units at -1 to a dead network at -4).
        cfg["dead_nets"] = pick(rng, (["g", "d", "both"], None))
        cfg["dead_bias"] = pick(rng, ([-1.0, -2.0, -4.0], None))
        if cfg["dead_nets"] in ("g", "both"):
            cfg["g_activation"] = "relu"
        if cfg["dead_nets"] in ("d", "both"):
            cfg["d_activation"] = "relu"


def sample_config(index, base_seed, stratum="grid"):
    tables = STRATA[stratum]
    rng = np.random.Generator(np.random.PCG64([base_seed, index]))
    base = {"index": index, "seed": base_seed * 100_000 + index, "dataset": sample_dataset(rng, tables["fractions"])}
    same = rng.random() < 0.6
    base["g_activation"] = pick(rng, ACTIVATIONS)
    base["d_activation"] = base["g_activation"] if same else pick(rng, ACTIVATIONS)
    base["latent"] = pick(rng, LATENTS)
    base["loss"] = pick(rng, LOSSES)
    base["optimizer"] = pick(rng, tables["optimizers"])
    base["momentum"] = pick(rng, ([0.0, 0.9], None))
    base["betas"] = list(pick(rng, ADAM_BETAS))
    base["lr_g"] = pick(rng, (BASE_LR[base["optimizer"]], None))
    base["lr_d"] = base["lr_g"] * pick(rng, LR_D_RATIO)
    base["failure"] = pick(rng, tables["failures"])
    base["steps"] = pick(rng, STEPS)
    base["log_interval"] = pick(rng, LOG_INTERVALS)
    # Every-step logging only on runs of at most 4,000 steps: 10,000-line logs would dominate the
    # corpus's size. Longer runs drawn at 1 or 2 log every 5 steps instead.
    if base["log_interval"] <= 2 and base["steps"] > 4000:
        base["log_interval"] = 5
    base["dead_nets"], base["dead_bias"] = None, None
    d_steps_wgan = pick(rng, ([1, 2, 5], [0.3, 0.2, 0.5]))
    d_steps_other = pick(rng, ([1, 2, 3], [0.75, 0.15, 0.10]))
    # A failure is applied on a fresh copy each draw, so a redraw never compounds it (lr x10 x10 ...).
    for redraws in range(1000):
        cfg = dict(base)
        sample_shape(rng, cfg)
        apply_failure(rng, cfg)
        wgan = cfg["loss"] == "wgan_gp"
        cfg["d_steps"] = d_steps_wgan if wgan else d_steps_other
        if estimated_seconds(cfg) <= MAX_SECONDS:
            break
    cfg["redraws"] = redraws
    cfg["stratum"] = stratum
    cfg["gp_lambda"] = 10.0 if wgan else None
    # Settings that do not apply to the optimizer drawn are cleared, so the config says what ran.
    if cfg["optimizer"] != "adam":
        cfg["betas"] = None
    if cfg["optimizer"] != "sgd":
        cfg["momentum"] = None
    choices = [e for e in EVAL_INTERVALS[0] if 5 <= cfg["steps"] // e <= 40]
    cfg["eval_interval"] = choices[rng.choice(len(choices))]
    cfg["estimated_seconds"] = round(estimated_seconds(cfg), 1)
    return cfg


def run_id(cfg):
    """Readable and unique: index first (sort order = generation order), then what matters most."""
    ds = cfg["dataset"]["name"].split("-")[0]
    return f"ct{cfg['index']:04d}-{cfg['loss']}-{ds}-{cfg['failure']}"
