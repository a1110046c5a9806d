"""graphstep repl, driven through standard input (as a subprocess and in process)."""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

import graphstep as gs
from graphstep.repl import COMMANDS, DEFAULT_DIRECTORY, FAILED, HELP, Repl
from graphstep.text import pretty

X = 1.5
E = math.exp(X * X)  # e^{x^2} = 9.48774
DIRECT, LONG = E, 2 * X * E * X  # the two path products of x * exp(x^2)
GRADIENT = E * (2 * X * X + 1)


def repl(commands: str, *extra: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphstep.cli", "repl", "x * exp(x^2)", "--at", "x=1.5",
                           *extra], input=commands, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_paths_table_shows_the_real_products():
    result = repl("paths\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(rf"2\s+u3 ← x\s+u2\s+{DIRECT:.6g}\s+{DIRECT:.6g}", out)
    assert re.search(rf"1\s+u3 ← u2 ← u1 ← x\s+x · exp\(u1\) · 2·x\s+.*\s{LONG:.6g}\n", out)
    assert f"path sum {GRADIENT:.6g} = reverse accumulation {GRADIENT:.6g}" in out
    assert result.stderr == ""


def test_moving_through_steps():
    s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
    result = repl("n\nn\nn\np\ng 1\ng last\n")  # EOF quits
    assert result.returncode == 0, result.stderr
    headers = re.findall(r"\[step (\d) of 3 \(paths\)\]", result.stdout)
    assert headers == ["1", "2", "3", "2", "1", "3"]
    assert "(already at the last step, 3 of 3)" in result.stdout
    for step in s:
        assert pretty(step.text) in result.stdout  # the REPL writes Unicode math, as the pictures
    assert f"{LONG:.4g}" in s[0].text and f"{GRADIENT:.4g}" in s[2].text  # path 1 goes via u1


def test_mode_with_wrt_and_reverse_numbers():
    result = repl("mode reverse\ng -1\nmode paths x\nmode forward-mode x\ng last\nq\n")
    assert result.returncode == 0, result.stderr
    reverse = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "reverse")
    assert "mode reverse: 5 steps" in result.stdout
    assert pretty(reverse[-1].text) in result.stdout  # x̄ = 52.18 ... they agree
    assert "(paths, wrt x)" in result.stdout
    assert "(forward-mode, wrt x)" in result.stdout
    assert f"{GRADIENT:.4g}" in result.stdout


def test_bad_commands_print_one_line_and_continue():
    result = repl("frobnicate\ng 99\ng two\nmode sideways\nwrt q\nn 1 2\n\"open\nstep 5\n"
                  "grad q\nn\nq\n")
    assert result.returncode == 2  # issue 8: a piped session whose commands failed exits 2
    errors = result.stderr.splitlines()
    assert len(errors) == 9, result.stderr
    assert all(line.startswith("error: ") for line in errors)
    assert "unknown command 'frobnicate'" in errors[0]
    assert "steps 1 to 3" in errors[1]
    assert "sideways" in errors[3] and "forward-mode" in errors[3]
    assert "no input named 'q'" in errors[4]
    assert "'two'" in errors[2] and "step number" in errors[2]
    assert "'1 2'" in errors[5]
    assert "cannot read '\"open'" in errors[6]
    assert "step takes no argument, got '5'" in errors[7]
    assert "grad takes no argument, got 'q'" in errors[8]
    assert "Traceback" not in result.stderr
    assert "[step 2 of 3 (paths)]" in result.stdout  # the n after the errors still ran


def test_piped_input_has_no_prompt_and_eof_quits():
    result = repl("")
    assert result.returncode == 0
    assert "graphstep>" not in result.stdout
    assert result.stdout.startswith("graphstep repl: x * exp(x^2) at x = 1.5")


@pytest.mark.backend
def test_show_and_save_write_files_and_say_where(tmp_path):
    result = repl("n\nshow\nshow png\nsave\nsave anim.gif\nq\n", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = [Path(p) for p in re.findall(r"^wrote (?:the player )?(\S+)", result.stdout, re.M)]
    svg = tmp_path / "out" / "paths-step002.svg"
    assert svg in written and "sum so far 52.18" in svg.read_text()  # path 2: u₃ ← x
    png = tmp_path / "out" / "paths-step002.png"
    assert png in written and png.read_bytes()[:4] == b"\x89PNG"
    player = tmp_path / "out" / "paths.html"
    assert player in written and "<svg" in player.read_text()
    frames = sorted((tmp_path / "out" / "paths-frames").glob("*.svg"))
    assert len(frames) == 3
    assert f"wrote 3 frames to {tmp_path / 'out' / 'paths-frames'}" in result.stdout
    assert (tmp_path / "anim.gif").read_bytes()[:6] == b"GIF89a"


@pytest.mark.backend
def test_show_reports_an_unwritable_file_and_continues(tmp_path):
    (tmp_path / "a-file").write_text("")
    result = repl("show a-file/x.svg\npaths\nq\n", cwd=tmp_path)
    assert result.returncode == 2  # issue 8: a piped session whose commands failed exits 2
    assert len(result.stderr.splitlines()) == 1 and "a-file" in result.stderr
    assert f"path sum {GRADIENT:.6g} = reverse accumulation {GRADIENT:.6g}" in result.stdout


def test_help_lists_every_command():
    out = io.StringIO()
    repl_ = Repl(gs.parse("x * exp(x^2)", x=1.5), stdout=out, stderr=out)
    assert repl_.run(io.StringIO("help\nhelp g\n")) == 0
    text = out.getvalue()
    for line in HELP.values():
        assert line in text
    assert set(COMMANDS) >= {"n", "p", "g", "mode", "paths", "show", "save", "help", "q"}


def test_grad_and_list_in_process():
    out, err = io.StringIO(), io.StringIO()
    g = gs.parse("3*x^2*(2*y + 7)", x=1.0, y=2.0)
    repl_ = Repl(g, mode="reverse", stdout=out, stderr=err)
    assert repl_.run(io.StringIO("grad\nlist\ng 3\nlist\nq\n")) == 0
    text = out.getvalue()
    assert "∂f/∂x = 66" in text and "∂f/∂y = 6" in text  # [6x(2y+7), 6x^2] at (1, 2)
    titles = [step.title for step in gs.steps(g, "reverse")]
    assert re.search(rf">\s+3\s+{re.escape(titles[2])}", text)
    assert err.getvalue() == ""


def run(*args: str, stdin: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphstep.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=120)


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


def test_show_writes_to_graphstep_repl_in_the_working_directory_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    session = Repl(gs.parse("x * exp(x^2)", x=X), mode="reverse", stdout=out, stderr=io.StringIO())
    session.run(io.StringIO("g last\nshow dot\nq\n"))
    target = tmp_path / DEFAULT_DIRECTORY / "reverse-step005.dot"
    assert DEFAULT_DIRECTORY == "graphstep-repl" and session.directory == tmp_path / "graphstep-repl"
    assert f"wrote {target}" in out.getvalue()  # the full path, printed
    assert f"{GRADIENT:.4g}" in target.read_text()  # x̄ = 52.18 on the last step


def test_the_step_table_explains_its_marks_and_the_banner_counts_in_words():
    out = io.StringIO()
    Repl(gs.parse("sin(x)", x=0.0), mode="forward", stdout=out, stderr=io.StringIO()).banner()
    one = io.StringIO()
    Repl(gs.parse("sin(x)", x=0.0), mode="local", stdout=one, stderr=io.StringIO()).banner()
    assert one.getvalue().splitlines()[1].startswith("1 step in mode local;")  # not "1 steps"
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("2 steps in mode forward")
    assert lines[-1] == "(▶ the node this step is about, · the other nodes it uses)"
    assert any(line.startswith("▶ ") for line in lines)
