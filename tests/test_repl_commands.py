"""graphstep.repl_commands: each REPL command driven through a Repl, with its exact output."""

from __future__ import annotations

import io
import math

import graphstep as gs
from graphstep.repl import Repl
from graphstep.repl_commands import ALIASES, HELP

X = 1.5
GRADIENT = math.exp(X * X) * (2 * X * X + 1)  # 52.1825


def session(commands: str, expression: str = "2*x", mode: str = "reverse", **values):
    out, err = io.StringIO(), io.StringIO()
    repl = Repl(gs.parse(expression, **(values or {"x": 1.0})), mode=mode, stdout=out, stderr=err)
    code = repl.run(io.StringIO(commands))
    return repl, code, out.getvalue(), err.getvalue()


def test_moving_stays_within_the_steps():
    repl, code, out, err = session("p\ng last\nn\nprev 5\nn 2\nq\n")
    assert code == 0 and err == ""
    assert "(already at the first step, 1 of 3)" in out and "(already at the last step, 3 of 3)" in out
    headers = [line for line in out.splitlines() if line.startswith("[step ")]
    assert headers == ["[step 1 of 3 (reverse)]", "[step 3 of 3 (reverse)]", "[step 1 of 3 (reverse)]",
                       "[step 3 of 3 (reverse)]"]
    assert repl.stepper.index == 2
    assert "gradient: x̄ = ∂u₁/∂x = 2; gs.grad(g) gives 2: they agree" in out


def test_list_marks_the_current_step():
    repl, code, out, _ = session("g 2\nlist\nq\n")
    assert out.splitlines()[-3:] == ["  1  seed ū1", "> 2  x̄", "  3  gradient"]


def test_mistakes_are_one_line_each_and_the_session_goes_on():
    repl, code, out, err = session("n x\ng 9\ng zz\nmode\nwrt z\nstep 1\nhelp zz\nn\nq\n")
    assert code == 2
    assert err.splitlines() == [
        "error: next takes an optional number of steps, got 'x'",
        "error: goto 9: there are steps 1 to 3",
        "error: goto 'zz': expected a step number from 1 to 3",
        "error: mode takes a name and an optional input: mode NAME [WRT]; the modes are forward, local, "
        "paths, reverse, forward-mode, adjoint-graph (now reverse)",
        "error: no input named 'z'; the inputs are: x",
        "error: step takes no argument, got '1'",
        "error: no command 'zz'; type help for the list",
    ]
    assert repl.stepper.index == 1  # the n after the mistakes still ran


def test_mode_and_wrt_rebuild_the_stepper():
    g = gs.parse("x*y", x=2.0, y=3.0)
    repl, code, out, err = session("mode forward\nwrt y\nmode forward-mode y\nmode paths\nq\n", "x*y",
                                   x=2.0, y=3.0)
    assert err == "" and code == 0
    assert f"mode forward: {len(gs.steps(g, 'forward'))} steps" in out
    assert f"mode forward with respect to y: {len(gs.steps(g, 'forward'))} steps" in out
    assert str(repl.stepper.mode) == "paths" and repl.stepper.wrt == "y"  # forward-mode -> paths keeps y
    repl, _, _, _ = session("mode forward-mode y\nmode paths x\nq\n", "x*y", x=2.0, y=3.0)
    assert repl.stepper.wrt == "x"


def test_grad_and_paths_print_the_real_numbers():
    _, code, out, err = session("grad\npaths x\nq\n", "x * exp(x^2)", x=X)
    assert code == 0 and err == ""
    assert f"  ∂f/∂x = {GRADIENT:.6g}" in out.splitlines() and "value: 14.2316" in out
    assert out.count("paths from the output back to x: 2") == 2  # in grad, then in paths
    assert f"path sum {GRADIENT:.6g} = reverse accumulation {GRADIENT:.6g}" in out


def test_help_prints_every_line_and_one_command():
    _, _, out, _ = session("help\nhelp g\nq\n")
    lines = out.splitlines()
    for text in HELP.values():
        assert "  " + text in lines
    assert lines[-1] == HELP["goto"]
    assert set(ALIASES.values()) == set(HELP)
