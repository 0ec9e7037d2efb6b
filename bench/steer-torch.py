"""One PyTorch run of the steer benchmark (bench/steer.ts starts it): the cross-trainer generator's
train() (bench/cross-trainer/generate.py) on settings bench/steer.ts chose, steered through
examples/nashboard_steer.py by a `nashboard watch OUT --steer` that bench/steer.ts runs beside it.

  /usr/bin/python3 bench/steer-torch.py OUT CONFIG_JSON [--steer]

OUT must exist; the run writes config.json, metrics.jsonl, evals.jsonl, evals.bin and, last, done.json.
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "cross-trainer"))
sys.path.insert(0, os.path.join(HERE, "..", "examples"))

from generate import train  # noqa: E402  (sets one thread before torch loads)
from nashboard_steer import Steer  # noqa: E402

import torch  # noqa: E402


def main():
    out, cfg = sys.argv[1], json.loads(sys.argv[2])
    steered = "--steer" in sys.argv[3:]
    torch.set_num_threads(1)
    cfg["torch"] = torch.__version__
    with open(os.path.join(out, "config.json"), "w") as fh:
        json.dump(cfg, fh, indent=1)
    factory = (lambda opt_d, opt_g: Steer(out, opt_d, opt_g, d_steps=cfg["d_steps"])) if steered else None
    started = time.time()
    train(cfg, out, steer=factory)
    with open(os.path.join(out, "done.json"), "w") as fh:
        json.dump({"seconds": round(time.time() - started, 2)}, fh)


if __name__ == "__main__":
    main()
