"""Let `nashboard watch RUN --steer` steer a PyTorch (or any) GAN training loop. Standard library only.

    steer = Steer("runs/my-gan", opt_d, opt_g, d_steps=1)   # once the two optimisers exist
    for step in range(steps):
        for _ in range(steer.poll()):                        # between steps: applies a new decision
            ...                                              # one D update
        ...                                                  # one G update (+ steer.r1 * R1, if you can)

Each decision in RUN/steer.json sets each optimiser's lr to its base lr (the lr it had when Steer was
made) times lr_d_mult / lr_g_mult, and the D updates per step; the README's "Steer any trainer" has the
format. A malformed file, or a stale one (written before this Steer was made: a previous run's), is
ignored with a message on stderr and never applied.
"""

import json
import math
import os
import sys
import time


class Steer:
    def __init__(self, run_dir, opt_d, opt_g, d_steps=1, log=sys.stderr):
        self.path, self.opts, self.log = os.path.join(run_dir, "steer.json"), (opt_d, opt_g), log
        self.base = [[group["lr"] for group in o.param_groups] for o in self.opts]
        self.started, self.seq, self.seen, self.d_steps, self.r1 = time.time(), 0, None, d_steps, 0.0

    def poll(self):
        """Applies the file's decision if it is new; returns the D updates per step to use."""
        try:
            st = os.stat(self.path)
            if (st.st_ino, st.st_mtime_ns, st.st_size) == self.seen:
                return self.d_steps  # the file has not changed since the last look
            self.seen = (st.st_ino, st.st_mtime_ns, st.st_size)
            with open(self.path, encoding="utf-8") as f:
                d = json.load(f)
            ok = d["format"] == "nashboard-steer" and d["version"] == 1
            ok = ok and all(isinstance(d[k], int) and d[k] >= 1 for k in ("seq", "d_steps"))
            mults, r1 = (float(d["lr_d_mult"]), float(d["lr_g_mult"])), float(d.get("r1", 0))
            if not ok or not all(math.isfinite(m) and m > 0 for m in mults) or not r1 >= 0:
                raise ValueError("not a version-1 nashboard-steer decision")
            if float(d["written_at"]) < self.started:
                raise ValueError("stale: written before this run started")
        except FileNotFoundError:
            return self.d_steps
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"nashboard steer: ignored {self.path}: {e}", file=self.log)
            return self.d_steps
        if d["seq"] <= self.seq:
            return self.d_steps  # already applied
        for o, base, m in zip(self.opts, self.base, mults):
            for group, lr in zip(o.param_groups, base):
                group["lr"] = lr * m
        self.seq, self.d_steps, self.r1 = d["seq"], d["d_steps"], r1
        return self.d_steps
