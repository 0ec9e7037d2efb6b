"""The steering helper against the protocol's cases; run by test/steer-python.test.ts (python3 -m unittest)."""

import io
import json
import os
import shutil
import tempfile
import time
import unittest

from nashboard_steer import Steer


class Optimizer:
    """What Steer touches of a torch.optim optimiser: its param_groups' lr."""

    def __init__(self, *lrs):
        self.param_groups = [{"lr": lr} for lr in lrs]


def decision(seq, **kw):
    d = {"format": "nashboard-steer", "version": 1, "seq": seq, "step": 20 * seq, "written_at": time.time() + 1,
         "lr_d_mult": 0.5, "lr_g_mult": 1, "d_steps": 2, "r1": 0.1, "reason": "d_ahead", "urgent": True,
         "reading": {"state": "d_dominant", "confidence": 0.9, "rule": 3, "gap": 0.8, "evidence": []}}
    d.update(kw)
    return d


class SteerTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.d, self.g, self.log = Optimizer(1e-2, 2e-2), Optimizer(1e-3), io.StringIO()
        self.steer = Steer(self.dir, self.d, self.g, d_steps=3, log=self.log)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, content):
        # as watch writes it: a temporary file renamed over the old one
        tmp = os.path.join(self.dir, "steer.json.tmp")
        with open(tmp, "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        os.replace(tmp, os.path.join(self.dir, "steer.json"))

    def lrs(self):
        return [g["lr"] for g in self.d.param_groups] + [g["lr"] for g in self.g.param_groups]

    def test_no_file_keeps_the_trainers_own_settings(self):
        self.assertEqual(self.steer.poll(), 3)
        self.assertEqual(self.lrs(), [1e-2, 2e-2, 1e-3])

    def test_decisions_scale_every_group_from_its_base_rate(self):
        self.write(decision(1))
        self.assertEqual(self.steer.poll(), 2)
        self.assertEqual(self.lrs(), [5e-3, 1e-2, 1e-3])
        self.assertEqual(self.steer.r1, 0.1)
        self.write(decision(2, lr_d_mult=0.25, lr_g_mult=0.8, d_steps=1))
        self.assertEqual(self.steer.poll(), 1)
        self.assertEqual(self.lrs(), [2.5e-3, 5e-3, 8e-4])  # from the base, not compounded
        self.assertEqual(self.log.getvalue(), "")

    def test_a_decision_is_applied_once(self):
        self.write(decision(2))
        self.steer.poll()
        self.write(decision(2, lr_d_mult=0.1))  # the same sequence number again
        self.steer.poll()
        self.write(decision(1, lr_d_mult=0.1))  # an older one
        self.steer.poll()
        self.assertEqual(self.lrs(), [5e-3, 1e-2, 1e-3])

    def test_malformed_files_are_ignored_with_a_message(self):
        self.write(decision(1))
        self.steer.poll()
        bad = ['{"format": "nashboard-st', "[]", json.dumps(decision(2, version=2)),
               json.dumps(decision(3, format="other")), json.dumps(decision(4, lr_d_mult=0)),
               json.dumps(decision(5, lr_g_mult="NaN")), json.dumps(decision(6, d_steps=0)),
               json.dumps(decision(7, d_steps=1.5)), json.dumps({k: v for k, v in decision(8).items() if k != "seq"})]
        for text in bad:
            self.write(text)
            self.assertEqual(self.steer.poll(), 2, text)
            self.assertEqual(self.lrs(), [5e-3, 1e-2, 1e-3], text)
        self.assertEqual(self.log.getvalue().count("nashboard steer: ignored"), len(bad))

    def test_a_stale_file_from_an_earlier_run_is_ignored_with_a_message(self):
        self.write(decision(9, written_at=time.time() - 3600))
        self.assertEqual(self.steer.poll(), 3)
        self.assertEqual(self.lrs(), [1e-2, 2e-2, 1e-3])
        self.assertIn("stale", self.log.getvalue())
        self.steer.poll()  # the same file again: said once
        self.assertEqual(self.log.getvalue().count("stale"), 1)
        self.write(decision(10))
        self.assertEqual(self.steer.poll(), 2)


if __name__ == "__main__":
    unittest.main()
