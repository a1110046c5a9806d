"""graphstep.exercises.command and `graphstep exercise`: a sheet and a key per student."""

import json
import re

import pytest

import graphstep as gs
from graphstep.cli import main
from graphstep.exercises.command import build, run, student_values

pytestmark = pytest.mark.backend


def _answers(path):
    data = re.search(r'id="gs-data">(.*?)</script>', path.read_text(), re.S).group(1)
    return [q["answer"] for q in json.loads(data)["questions"]]


def _given(path):
    return re.search(r'class="gs-given">([^<]*)<', path.read_text()).group(1)


def test_per_student_values_are_reproducible_and_differ(tmp_path, dot_backend):
    argv = ["x * exp(y^2)", "--at", "x=rand()", "--at", "y=rand(2)", "--students", "3", "--seed", "7",
            "--level", "1"]
    first = run(build([*argv, "-o", str(tmp_path / "a")]))
    again = run(build([*argv, "-o", str(tmp_path / "b")]))
    assert [p.name for p in first] == ["sheet-1.html", "key-1.html", "sheet-2.html", "key-2.html",
                                       "sheet-3.html", "key-3.html"]
    for a, b in zip(first, again):
        assert a.read_bytes() == b.read_bytes()
    sheets = [p for p in first if p.name.startswith("sheet")]
    givens = [_given(p) for p in sheets]
    assert len(set(givens)) == 3
    # each sheet's answers are its own graph's values
    for k, sheet in enumerate(sheets, start=1):
        values = student_values(["x=rand()", "y=rand(2)"], 7, k)
        g = gs.parse("x * exp(y^2)", **values)
        assert _answers(sheet) == pytest.approx([q.answer for q in gs.exercise(g, hide=1).questions])
    other_seed = run(build([*argv, "--seed", "8", "-o", str(tmp_path / "c")]))
    assert _given(other_seed[0]) != givens[0]


def test_student_values():
    a = student_values(["x=rand()", "W=randn(2,2)", "b=1.5"], 3, 1)
    assert isinstance(a["x"], float) and a["W"].shape == (2, 2) and a["b"] == 1.5
    assert student_values(["x=randn()"], 3, 1) != student_values(["x=randn()"], 3, 2)
    with pytest.raises(gs.InputError):
        student_values(["x=rand(-1)"], 3, 1)


def test_cli_writes_sheets_and_keys(tmp_path, capsys, dot_backend):
    out = tmp_path / "sheets"
    code = main(["exercise", "x * exp(x^2)", "--at", "x=rand()", "--students", "2", "--seed", "7",
                 "-o", str(out), "--no-answers", "--level", "3"])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["key-1.html", "key-2.html", "sheet-1.html", "sheet-2.html"]
    assert "wrote 4 files (2 sheets and their keys)" in capsys.readouterr().out
    sheet = (out / "sheet-1.html").read_text()
    assert '"answers":false' in sheet and "data:image" not in sheet
    key = (out / "key-1.html").read_text()
    assert key.count('<td class="answer">') == sheet.count('<li id="gs-q')


def test_cli_random_and_formats(tmp_path, dot_backend):
    out = tmp_path / "r"
    assert main(["exercise", "--random", "--ops", "sin,exp,*,+", "--depth", "3", "--seed", "1",
                 "--format", "pdf", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["key.pdf", "sheet.pdf"]
    assert (out / "sheet.pdf").read_bytes()[:5] == b"%PDF-"


def test_cli_hide_items(tmp_path, dot_backend):
    out = tmp_path / "h"
    assert main(["exercise", "x*y + y", "--at", "x=2", "--at", "y=3", "--hide", "u1", "--hide", "adjoints",
                 "-o", str(out)]) == 0
    assert _answers(out / "sheet.html") == pytest.approx([6.0, 1.0, 3.0, 3.0])  # u1; ū1, x̄ = y, ȳ = x + 1


@pytest.mark.parametrize("argv, message", [
    (["exercise", "x*", "--at", "x=1"], "cannot read 'x*'"),
    (["exercise", "x*y", "--at", "x=1", "--at", "y=2", "--hide", "zz"], "no node is named 'zz'"),
    (["exercise", "--random", "--ops", "sin,foo"], "'foo' not in the op table"),
    (["exercise", "--random", "x"], "leave out EXPR"),
    (["exercise", "x", "--at", "x=1", "--students", "0"], "out of range"),
    (["exercise", "x", "--at", "x=1", "--level", "4"], "out of range"),
    (["exercise", "x", "--at", "x=1", "--tolerance", "2"], "between 0 and 1"),
    (["exercise", "x", "--at", "x=1", "--level", "1"], "nothing to ask"),
])
def test_cli_errors_are_one_line(argv, message, capsys, tmp_path):
    assert main([*argv, "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_output_that_is_a_file(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["exercise", "sin(x)", "--at", "x=1", "--level", "1", "-o", str(target)]) == 2
    assert "it is a file" in capsys.readouterr().err
