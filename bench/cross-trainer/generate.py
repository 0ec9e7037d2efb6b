"""Trains the cross-trainer corpus's GAN runs with PyTorch: a trainer written apart from Nashboard's.

Each run (settings from grid.py, by index) writes into OUT/<run-id>/:
  config.json     every setting of the run (grid.py's dict), plus torch's version
  metrics.jsonl   one line per logged step, in the shape Nashboard's trainer writes: step, wall_time,
                  loss_disc, loss_gen, d_real, d_fake, grad_norm_d, grad_norm_g, lr_d, lr_g (a non-finite
                  number as the string "NaN" / "Infinity" / "-Infinity")
  evals.jsonl     per evaluation: step, whether a weight of G or D is non-finite
  evals.bin       per evaluation, float32 little-endian: 2,500 generated points (x, y interleaved), then
                  D's raw outputs on 1,000 fresh real points and on the first 1,000 generated points
  done.json       written last: the run is complete (seconds of wall time)
The labels are made from evals.* by label.ts with Nashboard's own evaluator; nothing here judges a run.

A run is trained in OUT/<run-id>.partial and renamed when done, so a killed session leaves no
half-run behind: rerunning skips finished runs and restarts unfinished ones.

  nice -n 10 /usr/bin/python3 bench/cross-trainer/generate.py --out runs/cross-trainer --first 0 --count 330
"""

import argparse
import json
import math
import os
import shutil
import sys
import time

# One thread, set before torch loads: OpenBLAS's own pool otherwise spins a second core (the machine is
# shared, and the generator must leave the other core to other work).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grid import run_id, sample_config  # noqa: E402

EVAL_SAMPLES = 2500
PROBE = 1000
ACT = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh}


def mlp(inputs, width, depth, outputs, activation, bias_shift=None):
    layers, n = [], inputs
    for _ in range(depth):
        lin = nn.Linear(n, width)
        if bias_shift is not None:
            with torch.no_grad():
                lin.bias.add_(bias_shift)
        layers += [lin, ACT[activation]()]
        n = width
    layers.append(nn.Linear(n, outputs))
    return nn.Sequential(*layers)


def optimizer(cfg, params, lr):
    if cfg["optimizer"] == "adam":
        return torch.optim.Adam(params, lr=lr, betas=tuple(cfg["betas"]))
    if cfg["optimizer"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.SGD(params, lr=lr, momentum=cfg["momentum"])


def d_losses(family, r, f):
    """D's adversarial loss and the logged mean D outputs, from raw outputs on real r and fake f.
    Nashboard's conventions for the families it knows (sum of the real and fake terms, LSGAN with 0-1
    targets and no 1/2), so the comparison is about the dynamics, not about how a loss is written."""
    if family in ("bce", "bce_minimax"):
        return F.softplus(-r).mean() + F.softplus(f).mean(), torch.sigmoid(r).mean(), torch.sigmoid(f).mean()
    if family == "lsgan":
        return ((1 - r) ** 2).mean() + (f**2).mean(), r.mean(), f.mean()
    if family == "hinge":
        return F.relu(1 - r).mean() + F.relu(1 + f).mean(), r.mean(), f.mean()
    if family == "wgan_gp":
        return f.mean() - r.mean(), r.mean(), f.mean()
    # Relativistic average (Jolicoeur-Martineau 2018), terms summed: 2 ln 2 at equilibrium for D and G.
    rr, ff = r - f.mean(), f - r.mean()
    return F.softplus(-rr).mean() + F.softplus(ff).mean(), torch.sigmoid(rr).mean(), torch.sigmoid(ff).mean()


def g_loss(family, f, r):
    if family == "bce":
        return F.softplus(-f).mean()
    if family == "bce_minimax":
        return -F.softplus(f).mean()
    if family == "lsgan":
        return ((1 - f) ** 2).mean()
    if family in ("hinge", "wgan_gp"):
        return -f.mean()
    return F.softplus(-(f - r.mean())).mean() + F.softplus(r - f.mean()).mean()


def gradient_penalty(d, real, fake, lam):
    alpha = torch.rand(real.shape[0], 1)
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    (g,) = torch.autograd.grad(d(x).sum(), x, create_graph=True)
    return lam * ((g.norm(2, dim=1) - 1) ** 2).mean()


def r1_penalty(d, real, gamma):
    """gamma / 2 * E[||grad_x D(x_real)||^2], as Nashboard's trainer has it (src/losses/penalties.ts)."""
    x = real.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(d(x).sum(), x, create_graph=True)
    return gamma / 2 * (g**2).sum(1).mean()


def grad_norm(params):
    return torch.sqrt(sum((p.grad.detach() ** 2).sum() for p in params if p.grad is not None))


class Mixture:
    def __init__(self, spec):
        self.centres = torch.tensor(spec["centres"], dtype=torch.float32)
        self.std = spec["std"]

    def sample(self, n, generator=None):
        idx = torch.randint(len(self.centres), (n,), generator=generator)
        return self.centres[idx] + self.std * torch.randn(n, 2, generator=generator)


def number(v):
    v = float(v)
    if math.isfinite(v):
        return v
    return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")


def train(cfg, out, steer=None):
    """One run into `out`. `steer(opt_d, opt_g)`, when given, makes the examples/nashboard_steer.py Steer
    that is polled between steps: its decisions set the optimisers' rates, the D updates per step and
    an R1 penalty (None for the corpus, whose runs are not steered)."""
    torch.manual_seed(cfg["seed"])
    data, family = Mixture(cfg["dataset"]), cfg["loss"]
    dead = cfg["dead_nets"]
    g_shift = cfg["dead_bias"] if dead in ("g", "both") else None
    d_shift = cfg["dead_bias"] if dead in ("d", "both") else None
    g = mlp(cfg["latent"], cfg["g_width"], cfg["g_depth"], 2, cfg["g_activation"], g_shift)
    d = mlp(2, cfg["d_width"], cfg["d_depth"], 1, cfg["d_activation"], d_shift)
    opt_g, opt_d = optimizer(cfg, g.parameters(), cfg["lr_g"]), optimizer(cfg, d.parameters(), cfg["lr_d"])
    batch, latent = cfg["batch"], cfg["latent"]
    # Line-buffered when steered: the watching process must see each logged step as it is written.
    metrics = open(os.path.join(out, "metrics.jsonl"), "w", buffering=1 if steer else -1)
    evals = open(os.path.join(out, "evals.jsonl"), "w")
    dumps = open(os.path.join(out, "evals.bin"), "wb")
    steer = steer(opt_d, opt_g) if steer is not None else None
    d_steps = cfg["d_steps"]
    for step in range(1, cfg["steps"] + 1):
        if steer is not None:
            d_steps = steer.poll()
        for _ in range(d_steps):
            x = data.sample(batch)
            with torch.no_grad():
                fake = g(torch.randn(batch, latent))
            r, f = d(x), d(fake)
            loss_d, d_real, d_fake = d_losses(family, r, f)
            total = loss_d + gradient_penalty(d, x, fake, cfg["gp_lambda"]) if family == "wgan_gp" else loss_d
            if steer is not None and steer.r1 > 0:
                total = total + r1_penalty(d, x, steer.r1)
            opt_d.zero_grad(set_to_none=True)
            total.backward()
            norm_d = grad_norm(d.parameters())
            opt_d.step()
        # G's update: D's outputs on a fresh batch; the relativistic loss also needs D on real data,
        # a constant for G (the last real batch, as RaGAN's reference code reuses it).
        with torch.no_grad():
            r_now = d(x) if family == "ragan" else None
        d.requires_grad_(False)  # G's update reads D; D's gradients would be wasted work
        f = d(g(torch.randn(batch, latent)))
        loss_g = g_loss(family, f, r_now)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        d.requires_grad_(True)
        norm_g = grad_norm(g.parameters())
        opt_g.step()
        if step % cfg["log_interval"] == 0:
            line = {"step": step, "wall_time": time.time()}
            for k, v in (("loss_disc", loss_d), ("loss_gen", loss_g), ("d_real", d_real), ("d_fake", d_fake),
                         ("grad_norm_d", norm_d), ("grad_norm_g", norm_g)):
                line[k] = number(v.item())
            line["lr_d"], line["lr_g"] = opt_d.param_groups[0]["lr"], opt_g.param_groups[0]["lr"]
            metrics.write(json.dumps(line) + "\n")
        if step % cfg["eval_interval"] == 0 or step == cfg["steps"]:
            evaluate(cfg, g, d, data, step, evals, dumps)
    for fh in (metrics, evals, dumps):
        fh.close()


def evaluate(cfg, g, d, data, step, evals, dumps):
    """What the labels need, from fresh draws of their own stream (the training stream is untouched)."""
    gen = torch.Generator().manual_seed(cfg["seed"] * 1_000_003 + step)
    with torch.no_grad():
        samples = g(torch.randn(EVAL_SAMPLES, cfg["latent"], generator=gen))
        real_out = d(data.sample(PROBE, generator=gen)).reshape(-1)
        fake_out = d(samples[:PROBE]).reshape(-1)
    bad = any(not torch.isfinite(p).all() for p in [*g.parameters(), *d.parameters()])
    evals.write(json.dumps({"step": step, "weights_non_finite": bool(bad)}) + "\n")
    block = torch.cat([samples.reshape(-1), real_out, fake_out]).numpy().astype("<f4")
    dumps.write(block.tobytes())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="runs/cross-trainer")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--count", type=int, default=330)
    ap.add_argument("--base-seed", type=int, default=1)
    ap.add_argument("--stratum", default="grid", choices=["grid", "lean"], help="grid.py's STRATA")
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.endswith(".partial"):
            shutil.rmtree(os.path.join(args.out, name))
    for index in range(args.first, args.first + args.count):
        cfg = sample_config(index, args.base_seed, args.stratum)
        rid = run_id(cfg)
        final = os.path.join(args.out, rid)
        if os.path.exists(os.path.join(final, "done.json")):
            continue
        tmp = final + ".partial"
        os.makedirs(tmp)
        cfg["torch"] = torch.__version__
        with open(os.path.join(tmp, "config.json"), "w") as fh:
            json.dump(cfg, fh, indent=1)
        started = time.time()
        train(cfg, tmp)
        seconds = time.time() - started
        with open(os.path.join(tmp, "done.json"), "w") as fh:
            json.dump({"seconds": round(seconds, 2), "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, fh)
        if os.path.exists(final):
            shutil.rmtree(final)
        os.rename(tmp, final)
        print(f"{rid}: {seconds:.1f} s (estimated {cfg['estimated_seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
