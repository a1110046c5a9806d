"""Issue 8 section 3, the command line: options are checked, no input gives a traceback,
a bug is one ``internal error`` line with status 70 (``--debug`` adds the traceback), and a
piped ``repl`` whose commands failed exits 2."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import graphstep as gs
from graphstep import cli
from graphstep.cli import EXIT_INTERNAL, EXIT_USAGE, main
from graphstep.repl import FAILED, Repl


def run(*args: str, stdin: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphstep.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=120)


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


# --- the REPL ------------------------------------------------------------------------------

def test_a_piped_repl_whose_commands_failed_exits_2():
    result = run("repl", "x*y", "--at", "x=2", "--at", "y=3", stdin="n\nfly away\nn\nq\n")
    assert result.returncode == FAILED == 2
    assert result.stderr == "error: unknown command 'fly'; type help for the list\n"
    assert "[step 3 of" in result.stdout  # the commands after the failure still ran


def test_a_piped_repl_without_failures_exits_0():
    result = run("repl", "x*y", "--at", "x=2", "--at", "y=3", stdin="n\npaths\ngrad\nq\n")
    assert (result.returncode, result.stderr) == (0, "")


def test_a_bug_in_a_repl_command_is_one_line_and_the_session_goes_on(monkeypatch):
    out, err = io.StringIO(), io.StringIO()
    repl = Repl(gs.parse("sin(x)", x=0.5), stdout=out, stderr=err)

    def broken(rest):
        raise RuntimeError("boom")

    monkeypatch.setattr(repl, "do_grad", broken)
    assert repl.run(io.StringIO("grad\nn\n")) == FAILED
    assert err.getvalue() == ("error: internal error: RuntimeError: boom; please report it, run with "
                              "--debug for the traceback\n")
    assert "[step 2 of" in out.getvalue()


def test_repl_paths_prints_the_paths_table():
    """``paths`` in the REPL prints the table (gs.paths' PathList repr), never a generator."""
    out = io.StringIO()
    g = gs.parse("x * exp(x^2)", x=1.5)
    Repl(g, stdout=out, stderr=out).run(io.StringIO("paths x\nq\n"))
    text = out.getvalue()
    assert "generator object" not in text
    assert "paths from the output back to x: 2" in text
    assert "42.69" in text and "9.488" in text and "52.18" in text
