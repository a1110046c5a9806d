"""Values typed by the user (graphstep.build.inputs): numbers, nested lists, constructors, assignments."""

import numpy as np
import pytest

from graphstep.build.inputs import MAX_ELEMENTS, parse_assignment, parse_at, parse_value
from graphstep.errors import GraphstepError, InputError


@pytest.mark.parametrize("text, expected", [
    ("1.5", 1.5), ("-2", -2.0), ("+3", 3.0), ("1e-3", 1e-3), ("--4", 4.0), ("  7 ", 7.0),
    ("pi", np.pi), ("-e", -np.e),
])
def test_numbers(text, expected):
    value = parse_value(text)
    assert type(value) is float
    assert value == expected


def test_nested_lists_keep_shape_and_values():
    value = parse_value("[[1, 2], [3, -4.5]]")
    assert value.dtype == float and value.shape == (2, 2)
    np.testing.assert_array_equal(value, [[1, 2], [3, -4.5]])
    np.testing.assert_array_equal(parse_value("((1, 2), (3, 4))"), [[1, 2], [3, 4]])
    assert parse_value("[[[1], [2]]]").shape == (1, 2, 1)
    np.testing.assert_array_equal(parse_value("[pi, -1]"), [np.pi, -1])


def test_constructors():
    np.testing.assert_array_equal(parse_value("eye(3)"), np.eye(3))
    np.testing.assert_array_equal(parse_value("eye(2, 3)"), np.eye(2, 3))
    np.testing.assert_array_equal(parse_value("zeros(3)"), np.zeros(3))
    np.testing.assert_array_equal(parse_value("ones(2,2)"), np.ones((2, 2)))
    np.testing.assert_array_equal(parse_value("ones((2, 2))"), np.ones((2, 2)))
    np.testing.assert_array_equal(parse_value("full(2, 3, -0.5)"), np.full((2, 3), -0.5))
    uniform = parse_value("rand(1000)", seed=4)
    assert uniform.min() >= 0 and uniform.max() < 1
    np.testing.assert_array_equal(uniform, np.random.default_rng(4).random(1000))
    np.testing.assert_array_equal(parse_value("rand(2, 3)", seed=4), np.random.default_rng(4).random((2, 3)))


def test_randn_is_reproducible_with_a_seed_and_matches_numpy():
    a = parse_value("randn(3,2)", seed=7)
    b = parse_value("randn(3,2)", seed=7)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, np.random.default_rng(7).standard_normal((3, 2)))
    assert not np.array_equal(a, parse_value("randn(3,2)", seed=8))
    # the default seed also repeats
    np.testing.assert_array_equal(parse_value("randn(4)"), parse_value("randn(4)"))


def test_parse_at_draws_random_values_in_order_from_one_generator():
    values = parse_at(["W=randn(2,3)", "b=randn(3)", "x=1.5"], seed=11)
    rng = np.random.default_rng(11)
    np.testing.assert_array_equal(values["W"], rng.standard_normal((2, 3)))
    np.testing.assert_array_equal(values["b"], rng.standard_normal(3))
    assert values["x"] == 1.5
    again = parse_at(["W=randn(2,3)", "b=randn(3)", "x=1.5"], seed=11)
    np.testing.assert_array_equal(values["b"], again["b"])


def test_assignment():
    assert parse_assignment("x = 2") == ("x", 2.0)
    name, value = parse_assignment("M=[[1,2],[3,4]]")
    assert name == "M" and value.tolist() == [[1, 2], [3, 4]]
    with pytest.raises(InputError, match="NAME=VALUE"):
        parse_assignment("x")
    with pytest.raises(InputError, match="not a valid input name"):
        parse_assignment("2x=1")
    with pytest.raises(InputError, match="--at x: .*'abc'"):
        parse_assignment("x=abc")
    with pytest.raises(InputError, match="given twice"):
        parse_at(["x=1", "x=2"])


@pytest.mark.parametrize("text, match", [
    ("__import__('os')", "unknown function '__import__'"),
    ("__import__('os').system('true')", "unknown function"),
    ("os.system('true')", "unknown function 'os.system'"),
    ("(lambda: 1)()", "unknown function"),
    ("open('/etc/passwd')", "unknown function 'open'"),
    ("[x for x in range(3)]", "not allowed"),
    ("x", "unknown name 'x'"),
    ("2*3", "arithmetic is not allowed"),
    ("randn(3).T", "attribute access"),
    ("'1.5'", "not a real number"),
    ("True", "not a real number"),
    ("1j", "not a real number"),
    ("1e400", "too large"),
    ("[[1, 2], [3]]", "ragged list"),
    ("[1, [2]]", "ragged nesting"),
    ("[[1, 2], 3]", "ragged nesting"),
    ("[]", "empty list"),
    ("", "empty"),
    ("randn(3,2", "never closed"),
    ("randn()", "at least one dimension"),
    ("randn(0)", "at least 1"),
    ("randn(-3)", "at least 1"),
    ("randn(2.5)", "whole numbers"),
    ("randn(n=3)", "no keyword"),
    ("eye(2, 2, 2)", "one or two dimensions"),
    ("[1, 'a']", "not a real number"),
    ("[" * 300 + "]" * 300, "nested"),
])
def test_rejects_bad_values_with_a_message(text, match):
    with pytest.raises(InputError, match=match):
        parse_value(text)


def test_size_limit_is_checked_before_allocating():
    with pytest.raises(InputError, match="100,000,000,000,000,000,000 elements"):
        parse_value("randn(10000000000, 10000000000)")  # would need 800 zettabytes
    with pytest.raises(InputError, match=f"limit is {MAX_ELEMENTS:,}"):
        parse_value("zeros(1001, 1000)")
    assert parse_value("zeros(1000, 1000)").size == MAX_ELEMENTS
    with pytest.raises(InputError, match="more than 32"):
        parse_value("ones(" + ", ".join(["1"] * 33) + ")")


def test_errors_are_graphstep_errors():
    with pytest.raises(GraphstepError):
        parse_value("exec('1')")
    with pytest.raises(InputError):
        parse_value(3)  # not text
