"""The graphstep command, driven as a subprocess: each subcommand and each kind of bad input."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import graphstep as gs
from graphstep import cli
from graphstep.cli import EXIT_INTERNAL, EXIT_USAGE, main, steps_output_kind
from graphstep.text import pretty
from graphstep.text import print_value as format_value

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphstep.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


def assert_user_error(result: subprocess.CompletedProcess, *words: str) -> str:
    """Exit status 2, exactly one line on stderr naming the problem, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


# --- grad ---------------------------------------------------------------------------------

def test_grad_prints_value_gradient_paths_and_check():
    result = run("grad", "x * exp(x^2)", "--at", "x=1.5")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    x = 1.5
    value, gradient = x * math.exp(x * x), math.exp(x * x) * (2 * x * x + 1)
    assert f"value: {value:.6g}" in out
    assert f"∂f/∂x = {gradient:.6g}" in out
    # the two paths: the direct edge (factor e^{x^2}) and x -> u1 -> u2 -> u3 (2x, e^{x^2}, x)
    assert re.search(rf"2\s+u3 ← x\s+u2\s+{math.exp(x * x):.6g}\s+{math.exp(x * x):.6g}", out)
    product = 2 * x * math.exp(x * x) * x
    assert re.search(rf"1\s+u3 ← u2 ← u1 ← x\s+x · exp\(u1\) · 2·x\s+1.5 · {math.exp(x * x):.6g} · 3\s+"
                     rf"{product:.6g}", out)
    assert f"path sum {gradient:.6g} = reverse accumulation {gradient:.6g}" in out
    assert "all agree" in out
    assert result.stderr == ""


def test_grad_tensor_input_prints_arrays():
    t, x = np.array([1.0, 0.0, -1.0]), np.array([1.0, 2.0])
    M = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]])
    result = run("grad", "sum((t - M @ x)^2)", "--at", "t=[1, 0, -1]", "--at", "M=[[1,2],[0.5,-1],[3,0]]",
                 "--at", "x=[1, 2]", "--wrt", "M")
    assert result.returncode == 0, result.stderr
    expected = -2 * np.outer(t - M @ x, x)  # dL/dM = -2 (t - Mx) x^T
    rows = format_value(expected).splitlines()
    for row in rows:
        assert row.strip() in result.stdout
    assert "paths from the output back to M: 1" in result.stdout
    assert "xᵀ ⊗ I_3" in result.stdout  # the Kronecker form of the matmul edge
    assert "path sum = reverse accumulation" in result.stdout


def test_grad_vector_output_prints_the_jacobian():
    result = run("grad", "[3*x^2*(2*y + 7), 4*x + y^2]", "--at", "x=1", "--at", "y=2", "--no-check")
    assert result.returncode == 0, result.stderr
    # J = [[6x(2y+7), 6x^2], [4, 2y]] at (1, 2)
    assert "∂f/∂x = [[66.]\n" in result.stdout and "[ 4.]]" in result.stdout
    assert "∂f/∂y = [[6.]" in result.stdout
    assert "path sum = the Jacobian by reverse accumulation (max difference 0)" in result.stdout


def test_grad_gives_the_exact_count_past_the_path_limit():
    expression = "*".join(["x"] * 60)  # x^60 as a product: 60 paths, one per factor
    result = run("grad", expression, "--at", "x=1.01", "--max-paths", "20", "--no-check")
    assert result.returncode == 0, result.stderr
    assert "paths from the output back to x: 60" in result.stdout
    assert "60 paths are more than 20: not listed" in result.stdout
    assert "u59 ←" not in result.stdout  # no table
    gradient = 60 * 1.01 ** 59
    assert f"path sum {gradient:.6g} = reverse accumulation {gradient:.6g}" in result.stdout


def test_grad_domain_warning_is_one_line():
    result = run("grad", "log(x)", "--at", "x=-1", "--no-check")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "log" in lines[0]
    assert "value: nan" in result.stdout


def test_strict_turns_the_domain_warning_into_an_error():
    assert_user_error(run("grad", "log(x)", "--at", "x=-1", "--strict"), "log")


def test_random_values_are_reproducible_with_seed():
    a = run("grad", "sum(W)", "--at", "W=randn(2,2)", "--seed", "3", "--no-check")
    b = run("grad", "sum(W)", "--at", "W=randn(2,2)", "--seed", "3", "--no-check")
    c = run("grad", "sum(W)", "--at", "W=randn(2,2)", "--seed", "4", "--no-check")
    assert a.returncode == b.returncode == c.returncode == 0
    total = np.random.default_rng(3).standard_normal((2, 2)).sum()
    assert f"value: {total:.6g}" in a.stdout
    assert a.stdout == b.stdout != c.stdout


# --- render -------------------------------------------------------------------------------

@pytest.mark.backend
def test_render_svg_png_and_dot(tmp_path):
    result = run("render", "x * exp(x^2)", "--at", "x=1.5", "-o", "graph.svg", "--grad", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wrote graph.svg"
    svg = (tmp_path / "graph.svg").read_text()
    assert "<svg" in svg and "9.488" in svg and "52.18" in svg  # e^{2.25} on an edge; the gradient
    result = run("render", "x * exp(x^2)", "--at", "x=1.5", "-o", "out/graph.png", "--direction", "BT",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(tmp_path / "out/graph.png") as image:
        pixels = np.asarray(image.convert("L"))
    assert pixels.min() < 80 and pixels.max() == 255  # ink on a white page
    assert pixels.shape[0] > pixels.shape[1]  # --direction BT: the graph runs bottom to top

def test_render_dot_with_style_options(tmp_path):
    args = ("render", "x * exp(x^2)", "--at", "x=1.5", "-o")
    assert run(*args, "plain.dot", cwd=tmp_path).returncode == 0
    assert run(*args, "hidden.dot", "--hide", "values", cwd=tmp_path).returncode == 0
    assert run(*args, "up.dot", "--direction", "BT", cwd=tmp_path).returncode == 0
    plain, hidden, up = ((tmp_path / f"{n}.dot").read_text() for n in ("plain", "hidden", "up"))
    value = f"{1.5 * np.exp(2.25):.4g}"  # the output's value, 14.23
    assert plain.startswith("digraph") and value in plain and "rankdir=LR" in plain
    assert value not in hidden
    assert "rankdir=BT" in up


@pytest.mark.backend
def test_render_a_step(tmp_path):
    result = run("render", "x * exp(x^2)", "--at", "x=1.5", "-o", "step.dot", "--mode", "paths",
                 "--step", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    dot = (tmp_path / "step.dot").read_text()
    assert "path 2 of 2" in dot and "u₃ ← x: 1 · u₂ = 1 · 9.488 = 9.488; sum so far 52.18" in dot


# --- steps --------------------------------------------------------------------------------

def test_steps_prints_every_step_without_output():
    result = run("steps", "x * exp(x^2)", "--at", "x=1.5", "--mode", "reverse")
    assert result.returncode == 0, result.stderr
    s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "reverse")
    assert result.stdout.count("[step ") == len(s) == 5
    for step in s:
        assert pretty(step.text) in result.stdout
    assert "52.18" in result.stdout


@pytest.mark.backend
def test_steps_writes_frames_player_and_gif(tmp_path):
    from PIL import Image

    args = ("steps", "x * exp(x^2)", "--at", "x=1.5", "--mode", "paths")
    result = run(*args, "-o", "frames/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    frames = sorted((tmp_path / "frames").glob("*.svg"))
    assert len(frames) == 3 and "wrote 3 frames" in result.stdout
    assert "42.69" in frames[0].read_text()  # path 1 goes through u1, as x̄ adds it first

    result = run(*args, "-o", "player.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "player.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)  # self-contained

    result = run(*args, "-o", "anim.gif", "--duration", "500", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "anim.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == 3


def test_steps_output_kind():
    assert steps_output_kind("frames/") == "frames"
    assert steps_output_kind("player.HTML") == "html"
    assert steps_output_kind("a.png") == "apng"
    with pytest.raises(gs.InputError, match="suffix"):
        steps_output_kind("a.txt")


# --- help ---------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["render", "grad", "steps", "repl", "demo"])
def test_every_subcommand_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: graphstep {command}")
    assert "example:" in result.stdout


def test_top_level_help_and_version():
    result = run("--help")
    assert result.returncode == 0
    for command in ("render", "grad", "steps", "repl", "demo"):
        assert command in result.stdout
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"graphstep {gs.__version__}"


# --- bad input: exit 2, one line, no traceback ---------------------------------------------

@pytest.mark.parametrize("args, words", [
    (("grad", "x *", "--at", "x=1"), ["cannot read", "x *"]),
    (("grad", "foo(x)", "--at", "x=1"), ["unknown function 'foo'"]),
    (("grad", "__import__('os').system('echo hi')"), ["not allowed"]),
    (("grad", "x", "--at", "x=abc"), ["--at x", "abc"]),
    (("grad", "x", "--at", "x"), ["NAME=VALUE"]),
    (("grad", "x", "--at", "x=[[1,2],[3]]"), ["ragged"]),
    (("grad", "M @ v", "--at", "M=ones(2,3)", "--at", "v=ones(2)"), ["2x3", "(2,)"]),
    (("grad", "x", "--at", "y=1"), ["unknown name 'x'"]),
    (("grad", "x + y", "--at", "x=1", "--at", "y=2", "--at", "z=3"), ["z", "does not appear"]),
    (("grad", "x", "--at", "x=1", "--wrt", "q"), ["no input named 'q'"]),
    (("grad", "x", "--at", "x=randn(100000,100000)"), ["10,000,000,000 elements", "limit"]),
    (("grad", "x", "--at", "x=1", "--at", "x=2"), ["twice"]),
    (("steps", "x", "--at", "x=1", "--mode", "sideways"), ["invalid choice", "sideways"]),
    (("steps", "x*y", "--at", "x=1", "--at", "y=2", "--mode", "forward-mode"), ["x, y"]),
    (("steps", "x", "--at", "x=1", "-o", "out.txt"), [".txt"]),
    (("render", "x", "--at", "x=1", "-o", "graph.xyz"), ["graph.xyz"]),
    (("render", "x", "--at", "x=1", "-o", "g.svg", "--mode", "paths", "--step", "9"), ["--step 9"]),
    (("render", "x", "--at", "x=1", "-o", "g.svg", "--step", "2"), ["--mode"]),
    (("grad",), ["EXPR"]),
    (("frobnicate",), ["invalid choice"]),
    (("demo", "--only", "no-such-example"), ["no-such-example", "x-exp-x2"]),
])
def test_bad_input_exits_2_with_one_line(args, words, tmp_path):
    assert_user_error(run(*args, cwd=tmp_path), *words)


@pytest.mark.parametrize("args", [
    ("render", "x", "--at", "x=1", "-o", "a-file/graph.svg"),
    ("steps", "x", "--at", "x=1", "-o", "a-file/player.html"),
    ("steps", "x", "--at", "x=1", "-o", "a-file/anim.gif"),
    ("steps", "x", "--at", "x=1", "-o", "a-file/frames/"),
    ("demo", "-o", "a-file/gallery", "--only", "sigmoid"),
])
def test_unwritable_output_exits_2(args, tmp_path):
    (tmp_path / "a-file").write_text("not a directory")
    line = assert_user_error(run(*args, cwd=tmp_path), "cannot write", "a-file")
    assert "not a directory" in line.lower()
    assert (tmp_path / "a-file").read_text() == "not a directory"


def test_output_that_is_a_directory_exits_2(tmp_path):
    (tmp_path / "d.svg").mkdir()
    assert_user_error(run("render", "x", "--at", "x=1", "-o", "d.svg", cwd=tmp_path), "d.svg", "directory")


def test_main_returns_the_status_in_process(capsys):
    assert main(["grad", "2*x", "--at", "x=3", "--no-check"]) == 0
    assert "∂f/∂x = 2" in capsys.readouterr().out
    assert main(["grad", "2*x", "--at", "x=[1,"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--at x" in err


def test_interrupt_exits_130_quietly(tmp_path):
    import signal
    import time

    # Ctrl-C as a terminal delivers it, even when the tests run where SIGINT is ignored (a
    # background job of a non-interactive shell): the child puts Python's own handler back first
    start = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
             "sys.argv = ['graphstep', 'repl', 'x*x', '--at', 'x=2']; "
             "runpy.run_module('graphstep.cli', run_name='__main__')")
    process = subprocess.Popen([sys.executable, "-c", start],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=tmp_path)
    try:
        assert process.stdout.readline().startswith("graphstep repl")
        for line in process.stdout:  # the first step is shown, its legend last: now it waits for commands
            if line.startswith("(▶"):
                break
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_expression_may_come_after_the_values():
    result = run("grad", "--at", "x=[1, 2]", "w=[3, 4]", "sum(w * x, axis=0)", "--no-check")
    assert result.returncode == 0, result.stderr
    assert "∂f/∂x (2,) = [3. 4.]" in result.stdout and "∂f/∂w (2,) = [1. 2.]" in result.stdout
    assert_user_error(run("grad", "--at", "x=1"), "EXPR")


def test_python_dash_m_graphstep():
    result = subprocess.run([sys.executable, "-m", "graphstep", "grad", "x^3", "--at", "x=2", "--no-check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "∂f/∂x = 12" in result.stdout  # 3x^2 at 2


def one_line(result: subprocess.CompletedProcess, status: int, *words: str) -> str:
    assert result.returncode == status, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.mark.parametrize("argv, words", [
    (["grad", "x", "--at", "x=randn(2)", "--seed", "-1"], ["--seed", "-1", "0 or more"]),
    (["grad", "x", "--at", "x=1", "--seed", "1.5"], ["--seed", "'1.5'"]),
    (["steps", "x*2", "--at", "x=1", "-o", "o.gif", "--duration", "1000000000000"],
     ["--duration", "1000000000000", "60,000"]),
    (["steps", "x*2", "--at", "x=1", "-o", "o.gif", "--duration", "0"], ["--duration", "from 1"]),
    (["demo", "-j", "-1"], ["-j", "-1", "1 or more"]),
    (["demo", "--jobs", "0"], ["--jobs", "1 or more"]),
    (["grad", "x", "--at", "x=1", "--max-paths", "-1"], ["--max-paths", "0 or more"]),
    (["render", "x", "--at", "x=1", "-o", "a.svg", "--precision", "0"], ["--precision", "1 to 17"]),
    (["render", "x", "--at", "x=1", "-o", "a.svg", "--precision", "99999999999999999999"],
     ["--precision", "1 to 17"]),
])
def test_options_out_of_range_are_one_line_and_exit_2(tmp_path, argv, words):
    one_line(run(*argv, cwd=tmp_path), EXIT_USAGE, *words)
    assert list(tmp_path.iterdir()) == []  # nothing was written, no demo folder was made


def test_an_unexpected_exception_is_one_internal_error_line(monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setitem(cli._COMMANDS, "grad", broken)
    assert main(["grad", "x", "--at", "x=1"]) == EXIT_INTERNAL == 70
    captured = capsys.readouterr()
    assert captured.err == ("graphstep grad: internal error: ZeroDivisionError: float division by zero; "
                            "please report it, run with --debug for the traceback\n")
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_prints_the_traceback_too(monkeypatch, capsys, where):
    def broken(args):
        raise KeyError("missing")

    monkeypatch.setitem(cli._COMMANDS, "grad", broken)
    argv = ["grad", "x", "--at", "x=1"]
    argv = ["--debug", *argv] if where == "before" else [*argv, "--debug"]
    assert main(argv) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "in broken" in err
    assert err.splitlines()[-1].startswith("graphstep grad: internal error: KeyError: 'missing'")


def test_debug_shows_the_traceback_of_a_user_error_but_keeps_the_status(capsys):
    assert main(["--debug", "grad", "x +", "--at", "x=1"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1].startswith("graphstep grad: error:")


def test_the_help_and_the_docs_give_the_exit_statuses():
    text = cli.build_parser().format_help()
    assert "70 internal error" in " ".join(text.split()) and "--debug" in text
    from pathlib import Path

    docs = (Path(__file__).parents[1] / "docs" / "cli.rst").read_text()
    assert "70" in docs and "--debug" in docs


# The parser fuzz found these; whatever the library raises, the command line shows one line.
AWKWARD = ["1" + "0" * 309, "[" * 33 + "x" + "]" * 33 + "+1", "[" * 70 + "x" + "]" * 70,
           "stack([])", "(x\r+x)", "#\r1", "max(v)", "sum(v, axis=(0,0))", "reshape(v, (-2,-2))",
           "-" * 9999 + "x", "4if", "'\\d'", "x,", "(x + # hi\n x)", "x*1e999", "\x00", "x" * 100000]


@pytest.mark.parametrize("expression", AWKWARD, ids=range(len(AWKWARD)))
def test_no_input_gives_a_traceback(capsys, expression):
    status = main(["grad", expression, "--at", "x=1", "--at", "v=[]", "--no-check"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert status in (0, EXIT_USAGE, EXIT_INTERNAL)
    if status != 0:
        assert len([line for line in captured.err.splitlines() if "error" in line]) == 1


def test_the_real_entry_point_has_no_traceback_for_a_bug(tmp_path):
    code = ("import sys, graphstep.cli as c\n"
            "c._COMMANDS['grad'] = lambda args: [][1]\n"
            "sys.exit(c.main())\n")
    result = subprocess.run([sys.executable, "-c", code, "grad", "x", "--at", "x=1"],
                            capture_output=True, text=True, timeout=120)
    line = one_line(result, EXIT_INTERNAL, "internal error: IndexError: list index out of range")
    assert line.endswith("please report it, run with --debug for the traceback")
