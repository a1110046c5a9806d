"""Every script in examples/ runs, prints numbers that match the seed's closed form, and draws.

Each script is named after its gallery example (``x_exp_x2.py`` is ``x-exp-x2``). The
closed forms checked here are the gallery's (``graphstep.gallery.examples.EXAMPLES``), written
independently of the ones the scripts print.
"""

from __future__ import annotations

import ast
import re
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graphstep.gallery.examples import EXAMPLES

EXAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "examples"
SCRIPTS = sorted(p for p in EXAMPLES_DIR.glob("*.py") if not p.name.startswith("_"))
_LINE = re.compile(r"^([a-z][a-z ]*?) (\w+) = (.*)$")


def _example_name(script: Path) -> str:
    return script.stem.replace("_", "-")


def parse_printed(text: str) -> dict[tuple[str, str], np.ndarray]:
    """``{(label, input): value}`` for every ``label input = number-or-array`` the script printed.

    Arrays may run over several lines (numpy wraps rows); lines are joined until the
    brackets balance.
    """
    found: dict[tuple[str, str], np.ndarray] = {}
    lines = text.splitlines()
    k = 0
    while k < len(lines):
        match = _LINE.match(lines[k])
        k += 1
        if not match:
            continue
        label, name, value = match.groups()
        while value.count("[") > value.count("]") and k < len(lines):
            value += " " + lines[k].strip()
            k += 1
        try:
            found[(label, name)] = np.asarray(ast.literal_eval(value), dtype=float)
        except (ValueError, SyntaxError):
            continue
    return found


def test_every_gallery_example_has_a_script():
    assert sorted(_example_name(p) for p in SCRIPTS) == sorted(EXAMPLES)


def test_parse_printed_reads_wrapped_arrays():
    text = "gradient M = [[ 1.5, -2. ],\n [ 3. ,  4.25]]\npath sum x = 52.18\nnoise = 3"
    found = parse_printed(text)
    assert found[("gradient", "M")].tolist() == [[1.5, -2.0], [3.0, 4.25]]
    assert float(found[("path sum", "x")]) == 52.18
    assert len(found) == 2


@pytest.mark.backend
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_example_prints_the_closed_form_and_writes_pictures(script, tmp_path, monkeypatch, capsys):
    example = EXAMPLES[_example_name(script)]
    monkeypatch.syspath_prepend(str(EXAMPLES_DIR))
    monkeypatch.setattr(sys, "argv", [str(script), str(tmp_path)])
    namespace = runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out

    g = namespace["g"]
    reference = example.graph()
    np.testing.assert_allclose(g.value, reference.value, rtol=1e-12)  # the seed's own values
    assert list(g.inputs) == list(reference.inputs)

    printed = parse_printed(out)
    expected = example.expected(g)
    derivative = "jacobian" if example.kind == "jacobian" else "gradient"
    for name, value in expected.items():
        value = np.asarray(value, dtype=float)
        for label in (derivative, "path sum", "forward mode", "closed form"):
            assert (label, name) in printed, f"{script.name} did not print '{label} {name} = ...'"
            got = printed[(label, name)]
            assert got.size == value.size, (label, name, got.shape, value.shape)
            np.testing.assert_allclose(got.ravel(), value.ravel(), rtol=1e-8, atol=1e-9,
                                       err_msg=f"{script.name}: {label} {name}")
    assert "DISAGREE" not in out and "graphstep and the closed form agree" in out

    stem = script.stem
    svg = (tmp_path / f"{stem}.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "</svg>" in svg
    player = (tmp_path / f"{stem}-player.html").read_text(encoding="utf-8")
    assert "<html" in player.lower() and "<svg" in player


@pytest.mark.backend
def test_x_exp_x2_names_the_slides_mistake(tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(EXAMPLES_DIR))
    monkeypatch.setattr(sys, "argv", ["x_exp_x2.py", str(tmp_path)])
    runpy.run_path(str(EXAMPLES_DIR / "x_exp_x2.py"), run_name="__main__")
    svg = (tmp_path / "x_exp_x2.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "</svg>" in svg
    out = capsys.readouterr().out
    x = 1.5
    e = np.exp(x * x)
    closed = e * (2 * x * x + 1)
    assert f"e^(x^2) = {e:.10g}" in out
    assert f"off by {2 * x * x * e:.10g}" in out
    assert f"the slide's terms add up to {sum([x * e * x, x * e * x, e]):.10g}" in out
    assert f"finds 2 paths (not three), whose products sum to {closed:.10g}" in out
    assert "dy/dx: graphstep and the closed form agree" in out


@pytest.mark.backend
def test_example_runs_as_a_script_into_default_out(tmp_path):
    result = subprocess.run([sys.executable, str(EXAMPLES_DIR / "power_chain.py")], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    x = 0.5
    printed = parse_printed(result.stdout)
    assert float(printed[("gradient", "x")]) == pytest.approx(6 * (x * x + 9) ** 2 * 2 * x, rel=1e-9)
    svg = (tmp_path / "out" / "power_chain.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") or svg.startswith("<svg")
    assert "</svg>" in svg and f"{6 * (x * x + 9) ** 2 * 2 * x:.4g}" in svg  # the gradient, drawn
    player = (tmp_path / "out" / "power_chain-player.html").read_text(encoding="utf-8")
    assert player.startswith("<!DOCTYPE html>") and "<svg" in player
