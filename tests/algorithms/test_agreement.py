"""agree(): the one "do these two results agree" check."""

from __future__ import annotations

import math

import numpy as np

from graphstep.algorithms.agreement import Agreement, agree


def test_close_results_agree_and_report_their_largest_difference():
    ok, difference = agree([1.0, 2.0, 3.0], [1.0, 2.0 + 1e-12, 3.0 - 4e-12])
    assert ok and math.isclose(difference, 4e-12, rel_tol=1e-3)


def test_the_tolerance_is_relative_to_the_reference_plus_absolute():
    assert agree(1000.0, 1000.0 + 5e-7).ok  # 5e-7 <= 1e-12 + 1e-9 * 1000
    assert not agree(1000.0, 1000.0 + 5e-6).ok
    assert agree(0.0, 5e-13).ok and not agree(0.0, 5e-12).ok
    assert agree(1.0, 1.05, rtol=0.1).ok
    assert agree(1.0, 1.05, rtol=0.0, atol=0.06) == Agreement(True, agree(1.0, 1.05).max_difference)


def test_equal_infinities_and_nans_agree_unless_nans_are_refused():
    inf, nan = float("inf"), float("nan")
    assert agree([inf, nan, 1.0], [inf, nan, 1.0]) == (True, 0.0)
    assert agree(nan, nan, equal_nan=False).ok is False
    assert agree(inf, -inf).ok is False
    ok, difference = agree([nan, 1.0], [0.0, 1.0])
    assert not ok and math.isnan(difference)


def test_shapes_are_compared_in_c_order_and_sizes_must_match():
    assert agree(np.arange(6.0).reshape(2, 3), np.arange(6.0)) == (True, 0.0)
    assert not agree(np.arange(6.0).reshape(2, 3), np.arange(6.0)[::-1]).ok
    assert agree(np.ones(3), np.ones(4)) == (False, float("inf"))
    assert agree(np.zeros(0), np.zeros(0)) == (True, 0.0)


def test_it_matches_numpy_allclose_on_random_pairs():
    rng = np.random.default_rng(3)
    for _ in range(200):
        b = rng.normal(size=5) * 10.0 ** rng.integers(-3, 4)
        a = b + rng.normal(size=5) * 10.0 ** rng.integers(-14, -6)
        ok, difference = agree(a, b)
        assert ok == bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))
        assert difference == float(np.max(np.abs(a - b)))
