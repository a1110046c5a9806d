"""graphstep.console: one-line errors and warnings for the terminal, with no process-wide change."""

from __future__ import annotations

import io
import warnings

import pytest

from graphstep.console import internal_error_text, one_line, warnings_as_lines


def test_one_line():
    assert one_line("a\n  b\tc ") == "a b c"
    assert one_line(KeyError("k")) == "'k'"


def test_internal_error_text_is_cut_and_never_empty():
    assert internal_error_text(RuntimeError()).startswith("internal error: RuntimeError: (no message);")
    long = internal_error_text(ValueError("x" * 900))
    assert "x" * 500 + ";" in long and "x" * 501 not in long


def _warn(text):
    warnings.warn(text, UserWarning, stacklevel=1)


def test_warnings_become_lines_once_per_place_and_nothing_global_changes():
    before = (warnings.showwarning, list(warnings.filters))
    out = io.StringIO()
    with warnings_as_lines(out):
        for _ in range(3):
            _warn("log of -1\nis nan")  # one warning, one place: shown once ("default" action)
        warnings.warn("second", UserWarning, stacklevel=1)
        assert out.getvalue() == ""  # written when the block ends
    assert out.getvalue() == "warning: log of -1 is nan\nwarning: second\n"
    assert (warnings.showwarning, list(warnings.filters)) == before


def test_warnings_are_written_before_an_exception_goes_on():
    out = io.StringIO()
    with pytest.raises(ZeroDivisionError), warnings_as_lines(out):
        _warn("first")
        raise ZeroDivisionError
    assert out.getvalue() == "warning: first\n"


def test_flush_writes_what_was_recorded_so_far_and_each_place_stays_shown_once():
    out = io.StringIO()
    with warnings_as_lines(out) as flush:
        _warn("first")
        flush()
        assert out.getvalue() == "warning: first\n"
        _warn("first")  # the same warning from the same place: not shown twice in one block
        flush()
        warnings.warn("elsewhere", UserWarning, stacklevel=1)
    assert out.getvalue() == "warning: first\nwarning: elsewhere\n"


def test_default_stream_is_stderr_at_the_end(capsys):
    with warnings_as_lines():
        _warn("to stderr")
    assert capsys.readouterr().err == "warning: to stderr\n"
