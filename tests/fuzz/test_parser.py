"""A derandomized sample of the parser fuzzer (``make fuzz`` runs 100,000 inputs)."""

import io
import sys
from pathlib import Path

import graphstep as gs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fuzz"))
import parser as fuzz_parser  # noqa: E402


def test_five_thousand_inputs_give_no_plain_exception_crash_hang_or_leaked_warning():
    out = io.StringIO()
    counts = fuzz_parser.run(5000, seed=7, timeout=10.0, jobs=2, out=out)
    assert sum(counts.values()) == 5000
    failures = {o: n for o, n in counts.items() if fuzz_parser.is_failure(o)}
    assert failures == {}, out.getvalue()
    # every family contributes: some inputs are accepted, some refused as ParseError and ShapeError
    assert counts["accepted"] > 1000 and counts["refused:ParseError"] > 1000
    assert counts["refused:ShapeError"] > 0


def test_the_classifier_names_each_outcome():
    assert fuzz_parser.classify("x * exp(x**2)", 5.0) == "accepted"
    assert fuzz_parser.classify("x +", 5.0) == "refused:ParseError"
    assert fuzz_parser.classify("W @ [1, 2]", 5.0) == "refused:ShapeError"
    assert fuzz_parser.is_failure("plain:ValueError: boom") and fuzz_parser.is_failure("hang")
    assert not fuzz_parser.is_failure("refused:InputError")
    assert isinstance(gs.parse("x", x=1.0), gs.Graph)
