"""A fixed sample of the differential tester (fuzz/differential.py): zero mismatches."""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))

import differential  # noqa: E402


def test_two_hundred_scalar_and_fifty_tensor_expressions_agree_five_ways():
    out = io.StringIO()
    counts = differential.run(200, 50, seed=8, out=out)
    assert counts["mismatched"] == 0, out.getvalue()
    assert counts["agreed"] >= 150, out.getvalue()  # most expressions are compared, not skipped
