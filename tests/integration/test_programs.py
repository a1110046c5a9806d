"""Programs through every door: the command line, the REPL, the docs fence and directive body."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import graphstep as gs
from graphstep.build.statements import program_text
from graphstep.mkdocs import split_fence
from graphstep.repl import Repl

PROGRAM = "z = w*x + b; a = max(0, z); C = (a - y)^2"
AT = ["--at", "w=2", "--at", "x=1.5", "--at", "b=-0.5", "--at", "y=1"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphstep.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_grad_reports_a_program_with_its_output_name():
    result = _run("grad", PROGRAM, *AT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "C = (a - y)^2   at w = 2, x = 1.5, b = -0.5, y = 1"
    # dC/dw = 2(a - y)[z > 0] x with z = 2.5, a = 2.5: 2 · 1.5 · 1.5
    assert "  ∂C/∂w = 4.5" in lines and "  ∂C/∂y = -3" in lines
    assert "C ← u2 ← a ← z ← u1 ← w" in result.stdout


@pytest.mark.backend
def test_render_writes_the_program_picture_with_its_names(tmp_path):
    out = tmp_path / "neuron.dot"
    result = _run("render", "z = w*x + b; a = max(0, z)", "--at", "w=2", "--at", "x=1.5", "--at", "b=-0.5",
                  "-o", str(out))
    assert result.returncode == 0, result.stderr
    dot = out.read_text(encoding="utf-8")
    assert "a = relu(z)" in dot and "z = u₁ + b" in dot and "∂a/∂z = [z &gt; 0]" in dot


def test_a_program_error_is_one_line_with_exit_2():
    result = _run("render", "a = 2*x; a = a + 1", "--at", "x=1", "-o", "never.svg")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "graphstep render: error: a is assigned twice, at column 1 and at column 10; a program's names "
        "are definitions, each assigned once (use a new name: a2)"]


def test_the_repl_steps_a_program_with_its_names():
    g = gs.parse(PROGRAM, w=2.0, x=1.5, b=-0.5, y=1.0)
    out = io.StringIO()
    Repl(g, mode="reverse", stdout=out, stderr=out).run(io.StringIO("g 4\nq\n"))
    text = out.getvalue()
    assert "ā = ū₂ · 1 = 3 · 1 = 3" in text and "▶ a   max(0, z)  2.5    3" in text


def test_a_docs_body_keeps_a_programs_lines():
    options, expression = split_fence("at: w=2, x=1.5, b=-0.5\nz = w*x + b\na = max(0, z)\n")
    assert options == {"at": "w=2, x=1.5, b=-0.5"} and expression == "z = w*x + b\na = max(0, z)"
    g = gs.parse(program_text("\n   z = w*x + b\n   a = max(0, z)\n"), w=2.0, x=1.5, b=-0.5)
    assert g.label(g.output) == "a" and g.value == 2.5
