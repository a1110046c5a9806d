"""``graphstep repl``: step through a computation interactively in the terminal.

Commands (one per line; piped standard input works the same, without prompts)::

    n [K], next        forward one step (or K)      p [K], prev   back one step (or K)
    g N, goto N        jump to step N (1-based; first, last, -1 = last)
    . , l, step        print the current step again  list          every step's title
    mode NAME [WRT]    switch mode (forward, local, paths, reverse, forward-mode)
    wrt NAME           the input to differentiate with respect to
    paths [NAME]       the table of paths, factors and products, and their sum
    grad               value, gradients and the tables of paths
    show [FILE|png]    write the current step's picture and print where
    save [OUT]         write the player and all frames (or OUT: dir/, .html, .gif, .apng)
    help [CMD], ?      this list                     q, quit, exit  leave (Ctrl-D too)

>>> import io, graphstep as gs
>>> out = io.StringIO()
>>> repl = Repl(gs.parse("x * exp(x^2)", x=1.5), mode="paths", stdout=out, stderr=out)
>>> repl.run(io.StringIO("paths\\nq\\n"))
0
>>> "42.6948" in out.getvalue()
True

Piped commands that fail still run the rest, but the exit status is then
:data:`FAILED` (2), so a script notices; an interactive session always exits 0.

>>> Repl(gs.parse("2*x", x=1.0), stdout=out, stderr=out).run(io.StringIO("n\\nfly\\nq\\n"))
2
"""

from __future__ import annotations

import shlex
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from graphstep.algorithms.paths import paths_report
from graphstep.console import internal_error_text, one_line
from graphstep.errors import GraphstepError, InputError
from graphstep.export.image import render
from graphstep.export.stepper import steps
from graphstep.export.steps_files import write_steps
from graphstep.graph import Graph
from graphstep.report import grad_report, inputs_text
from graphstep.steps.model import MODES, Mode
from graphstep.steps.select import step_index

__all__ = ["Repl", "COMMANDS", "HELP", "FAILED"]

#: Exit status of a piped (non-interactive) session in which some command failed.
FAILED = 2

#: One line of help per command, by its main name.
HELP = {
    "next": "n [K]            forward one step (or K steps)",
    "prev": "p [K]            back one step (or K steps)",
    "goto": "g N              jump to step N (1 to the number of steps; first, last, -1 = last)",
    "step": ". or l           print the current step again",
    "list": "list             every step's title, the current one marked >",
    "mode": "mode NAME [WRT]  switch mode: " + ", ".join(MODES),
    "wrt": "wrt NAME         the input to differentiate with respect to",
    "paths": "paths [NAME]     the table of paths with their factors and products, and the sum",
    "grad": "grad             value, gradients and the tables of paths",
    "show": "show [FILE|png]  write the current step's picture (SVG by default) and print its path",
    "save": "save [OUT]       write the player and all frames; OUT may be dir/, .html, .gif, .apng",
    "help": "help [CMD]       this list",
    "quit": "q                leave (Ctrl-D too)",
}
_ALIASES = {
    "n": "next", "next": "next", "p": "prev", "prev": "prev", "previous": "prev", "b": "prev",
    "back": "prev", "g": "goto", "goto": "goto", "go": "goto", "jump": "goto", ".": "step",
    "l": "step", "step": "step", "current": "step", "list": "list", "ls": "list",
    "mode": "mode", "m": "mode", "wrt": "wrt", "paths": "paths", "grad": "grad", "show": "show",
    "save": "save", "help": "help", "h": "help", "?": "help", "q": "quit", "quit": "quit",
    "exit": "quit",
}
#: Every command word the REPL understands (aliases included).
COMMANDS = tuple(_ALIASES)


class Repl:
    """An interactive stepper over graph ``g``; :meth:`run` reads commands until ``q``/EOF.

    Parameters
    ----------
    g : Graph
        The graph to step through.
    mode : str, optional
        The first walk's mode (``paths`` by default; see :func:`graphstep.steps`).
    wrt : str, optional
        The input to differentiate with respect to.
    directory : str or Path, optional
        Where ``show`` and ``save`` write (a new temporary directory, made on first
        use, when None).
    stdout, stderr : file-like, optional
        Where output and the one-line error messages go (default: ``sys.stdout`` and
        ``sys.stderr``).
    debug : bool, optional
        Print the traceback of an internal error too.
    flush_warnings : callable, optional
        Called before every line the session writes. The ``graphstep`` command passes
        the function that writes the warnings recorded so far as one line each
        (:func:`graphstep.console.warnings_as_lines`), so they come out in order.

    Raises
    ------
    InputError
        For an unknown mode or input.

    Examples
    --------
    >>> import io, graphstep as gs
    >>> out = io.StringIO()
    >>> Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=out).run(io.StringIO("g last\\nq\\n"))
    0
    >>> [line for line in out.getvalue().splitlines() if line.startswith("[step")]
    ['[step 1 of 3 (reverse)]', '[step 3 of 3 (reverse)]']
    """

    def __init__(self, g: Graph, mode: str = "paths", wrt: str | None = None,
                 directory: str | Path | None = None, stdout: IO[str] | None = None,
                 stderr: IO[str] | None = None, debug: bool = False,
                 flush_warnings: Callable[[], None] | None = None):
        self.graph = g
        self.debug = debug
        self._flush_warnings = flush_warnings
        #: How many commands have failed (each printed one ``error:`` line).
        self.failures = 0
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self._directory = Path(directory) if directory is not None else None
        self.stepper = self._make_stepper(mode, wrt)

    # --- the stepper -------------------------------------------------------------------
    def _make_stepper(self, mode: str, wrt: str | None) -> Any:
        if mode not in MODES:
            raise InputError(f"unknown mode {mode!r}; the modes are: {', '.join(MODES)}")
        if wrt is not None:
            self.graph.input_node(wrt)  # an InputError naming the inputs
        return steps(self.graph, mode=mode, wrt=wrt)

    @property
    def directory(self) -> Path:
        """Where ``show`` and ``save`` write; created on first use."""
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="graphstep-repl-"))
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def _where(self) -> str:
        s = self.stepper
        wrt = f", wrt {s.wrt}" if getattr(s, "wrt", None) else ""
        return f"step {s.index + 1} of {len(s)} ({s.mode}{wrt})"

    # --- output --------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        """Write ``text`` and a new line to ``stdout``."""
        self._warnings()
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def complain(self, text: str) -> None:
        """Write ``error: TEXT`` on one line to ``stderr`` and count a failure."""
        self._warnings()
        self.failures += 1
        self.stderr.write("error: " + one_line(text) + "\n")
        self.stderr.flush()

    def show_current(self) -> None:
        """Print where the walk is and the current step."""
        self.say(f"[{self._where()}]")
        self.say(str(self.stepper.current))

    def banner(self) -> None:
        """Print the expression, the walk's length, the commands and the current step."""
        g = self.graph
        at = inputs_text(g)
        self.say(f"graphstep repl: {g.expr(g.output)}" + (f" at {at}" if at else ""))
        self.say(f"{len(self.stepper)} steps in mode {self.stepper.mode}; commands: n, p, g N, "
                 "mode NAME [WRT], paths, show, save, help, q")
        self.show_current()

    # --- the loop ------------------------------------------------------------------------
    def run(self, stdin: IO[str] | None = None) -> int:
        """Read and run commands until ``q`` or end of input; the exit status.

        Parameters
        ----------
        stdin : file-like, optional
            Where commands come from (default ``sys.stdin``). At a terminal the session
            prompts, edits lines with readline and takes Enter as ``next``.

        Returns
        -------
        int
            0, or :data:`FAILED` when standard input is not a terminal and a command failed.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> Repl(gs.parse("2*x", x=1.0), stdout=io.StringIO(), stderr=io.StringIO()).run(
        ...     io.StringIO("fly\\nq\\n"))
        2
        """
        stdin = stdin if stdin is not None else sys.stdin
        interactive = _isatty(stdin) and stdin is sys.stdin
        if interactive:
            _setup_readline(self._complete)
        self.banner()
        while True:
            if interactive:
                try:
                    line = input("graphstep> ")
                except EOFError:
                    self.say()
                    return self._status(interactive)
                except KeyboardInterrupt:
                    self.say("^C (q or Ctrl-D leaves)")
                    continue
                if not line.strip():
                    line = "next"  # Enter steps forward, as in a debugger
            else:
                line = stdin.readline()
                if not line:
                    return self._status(interactive)
            try:
                if not self.execute(line):
                    return self._status(interactive)
            except KeyboardInterrupt:
                if not interactive:
                    raise
                self.say("interrupted")

    def _status(self, interactive: bool) -> int:
        return FAILED if self.failures and not interactive else 0

    def execute(self, line: str) -> bool:
        """Run one command line; False when it asks to quit. Errors print one line.

        Parameters
        ----------
        line : str
            A command and its arguments (``#`` starts a comment).

        Returns
        -------
        bool
            False for ``q``/``quit``/``exit``, else True (also when the command failed).

        Examples
        --------
        >>> import io, graphstep as gs
        >>> err = io.StringIO()
        >>> Repl(gs.parse("2*x", x=1.0), stdout=io.StringIO(), stderr=err).execute("g 9")
        True
        >>> err.getvalue()
        'error: goto 9: there are steps 1 to 2\\n'
        """
        try:
            words = shlex.split(line, comments=True)
        except ValueError as error:
            self.complain(f"cannot read {line.strip()!r}: {error}")
            return True
        if not words:
            return True
        word, rest = words[0].lower(), words[1:]
        name = _ALIASES.get(word)
        if name is None:
            self.complain(f"unknown command {word!r}; type help for the list")
            return True
        if name == "quit":
            return False
        handler: Callable[[list[str]], None] = getattr(self, f"do_{name}")
        try:
            handler(rest)
        except GraphstepError as error:
            self.complain(str(error))
        except OSError as error:
            where = f" {error.filename}" if error.filename is not None else ""
            self.complain(f"cannot write{where}: {error.strerror or error}")
        except Exception as error:  # a bug: say so in one line and keep the session
            if self.debug:
                traceback.print_exc(file=self.stderr)
            self.complain(internal_error_text(error))
        self._warnings()
        return True

    def _warnings(self) -> None:
        if self._flush_warnings is not None:
            self._flush_warnings()

    # --- commands ------------------------------------------------------------------------
    def _count(self, rest: list[str], command: str) -> int:
        if not rest:
            return 1
        if len(rest) > 1 or not rest[0].lstrip("-").isdigit():
            raise InputError(f"{command} takes an optional number of steps, got {' '.join(rest)!r}")
        return int(rest[0])

    def _move(self, delta: int) -> None:
        s = self.stepper
        target = min(max(s.index + delta, 0), len(s) - 1)
        if target == s.index:
            edge = "last" if delta > 0 else "first"
            self.say(f"(already at the {edge} step, {s.index + 1} of {len(s)})")
            return
        s.goto(target)
        self.show_current()

    def do_next(self, rest: list[str]) -> None:
        """The ``next`` command (see :data:`HELP`); ``rest`` are its arguments."""
        self._move(self._count(rest, "next"))

    def do_prev(self, rest: list[str]) -> None:
        """The ``prev`` command (see :data:`HELP`); ``rest`` are its arguments."""
        self._move(-self._count(rest, "prev"))

    def do_goto(self, rest: list[str]) -> None:
        """The ``goto`` command (see :data:`HELP`); ``rest`` are its arguments."""
        total = len(self.stepper)
        if len(rest) != 1:
            raise InputError(f"goto takes one step number from 1 to {total}, e.g. g 2")
        try:
            index = step_index(rest[0], total)
        except ValueError:
            raise InputError(f"goto {rest[0]!r}: expected a step number from 1 to {total}") from None
        except IndexError:
            raise InputError(f"goto {rest[0]}: there are steps 1 to {total}") from None
        self.stepper.goto(index)
        self.show_current()

    def _no_arguments(self, rest: list[str], command: str) -> None:
        if rest:
            raise InputError(f"{command} takes no argument, got {' '.join(rest)!r}")

    def do_step(self, rest: list[str]) -> None:
        """The ``step`` command (see :data:`HELP`); ``rest`` are its arguments."""
        self._no_arguments(rest, "step")
        self.show_current()

    def do_list(self, rest: list[str]) -> None:
        """The ``list`` command (see :data:`HELP`); ``rest`` are its arguments."""
        self._no_arguments(rest, "list")
        s = self.stepper
        width = len(str(len(s)))
        for k, step in enumerate(s):
            marker = ">" if k == s.index else " "
            title = step.title or step.text
            self.say(f"{marker} {k + 1:>{width}}  {' '.join(str(title).split())}")

    def do_mode(self, rest: list[str]) -> None:
        """The ``mode`` command (see :data:`HELP`); ``rest`` are its arguments."""
        if not rest or len(rest) > 2:
            current = self.stepper.mode
            raise InputError(f"mode takes a name and an optional input: mode NAME [WRT]; the modes "
                             f"are {', '.join(MODES)} (now {current})")
        mode = rest[0].lower()
        wrt = rest[1] if len(rest) == 2 else None
        keeps_wrt = (Mode.PATHS, Mode.FORWARD_MODE)  # the modes that differentiate by one input
        if wrt is None and mode in keeps_wrt and self.stepper.mode in keeps_wrt:
            wrt = getattr(self.stepper, "wrt", None)
        self.stepper = self._make_stepper(mode, wrt)
        self.say(f"mode {self.stepper.mode}: {len(self.stepper)} steps")
        self.show_current()

    def do_wrt(self, rest: list[str]) -> None:
        """The ``wrt`` command (see :data:`HELP`); ``rest`` are its arguments."""
        if len(rest) != 1:
            raise InputError(f"wrt takes one input name: {', '.join(self.graph.inputs)}")
        self.stepper = self._make_stepper(self.stepper.mode, rest[0])
        self.say(f"mode {self.stepper.mode} with respect to {rest[0]}: {len(self.stepper)} steps")
        self.show_current()

    def do_paths(self, rest: list[str]) -> None:
        """The ``paths`` command (see :data:`HELP`); ``rest`` are its arguments."""
        if len(rest) > 1:
            raise InputError("paths takes at most one input name")
        names = rest or ([self.stepper.wrt] if getattr(self.stepper, "wrt", None) else self.graph.inputs)
        for k, name in enumerate(names):
            if k:
                self.say()
            self.say(paths_report(self.graph, name))

    def do_grad(self, rest: list[str]) -> None:
        """The ``grad`` command (see :data:`HELP`); ``rest`` are its arguments."""
        self._no_arguments(rest, "grad")
        self.say(grad_report(self.graph, check=False))

    def do_show(self, rest: list[str]) -> None:
        """The ``show`` command (see :data:`HELP`); ``rest`` are its arguments."""
        if len(rest) > 1:
            raise InputError("show takes at most one argument: a file name, or svg/png")
        s = self.stepper
        fmt, path = "svg", None
        if rest and rest[0].lower() in ("svg", "png", "dot", "pdf"):
            fmt = rest[0].lower()
        elif rest:
            path = Path(rest[0])
            if not path.suffix:
                raise InputError(f"show {rest[0]}: give the file a suffix (.svg, .png, .dot)")
        if path is None:
            wrt = f"-{s.wrt}" if getattr(s, "wrt", None) else ""
            path = self.directory / f"{s.mode}{wrt}-step{s.index + 1:03d}.{fmt}"
        written = render(s, path)
        self.say(f"wrote {Path(written).resolve()}")

    def do_save(self, rest: list[str]) -> None:
        """The ``save`` command (see :data:`HELP`); ``rest`` are its arguments."""
        if len(rest) > 1:
            raise InputError("save takes at most one argument: dir/, FILE.html, FILE.gif or FILE.apng")
        s = self.stepper
        if rest:
            written = write_steps(s, rest[0])
            where = rest[0] if len(written) > 1 else str(written[0])
            self.say(f"wrote {Path(where).resolve()} ({len(s)} steps)")
            return
        wrt = f"-{s.wrt}" if getattr(s, "wrt", None) else ""
        stem = f"{s.mode}{wrt}"
        player = write_steps(s, str(self.directory / f"{stem}.html"))[0]
        frames = write_steps(s, str(self.directory / f"{stem}-frames") + "/")
        self.say(f"wrote the player {Path(player).resolve()}")
        self.say(f"wrote {len(frames)} frames to {(self.directory / f'{stem}-frames').resolve()}")

    def do_help(self, rest: list[str]) -> None:
        """The ``help`` command (see :data:`HELP`); ``rest`` are its arguments."""
        if rest:
            name = _ALIASES.get(rest[0].lower())
            if name is None:
                raise InputError(f"no command {rest[0]!r}; type help for the list")
            self.say(HELP[name])
            return
        self.say("commands:")
        for text in HELP.values():
            self.say("  " + text)
        self.say("  (Enter repeats n in a terminal; # starts a comment)")

    # --- line editing --------------------------------------------------------------------
    def _complete(self, text: str, state: int) -> str | None:
        import readline

        line = readline.get_line_buffer()
        words = line.split()
        if len(words) <= 1 and not line.endswith(" "):
            options = [w for w in _ALIASES if len(w) > 1]
        elif words[0] in ("mode", "m") and (len(words) == 1 or (len(words) == 2 and not line.endswith(" "))):
            options = list(MODES)
        else:
            options = list(self.graph.inputs) + ["svg", "png", "first", "last"]
        matches = [w + " " for w in options if w.startswith(text)]
        return matches[state] if state < len(matches) else None


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _setup_readline(completer: Callable[[str, int], str | None]) -> None:
    """Line editing and completion for ``input()`` where the platform has readline."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return
    readline.set_completer(completer)
    readline.set_completer_delims(" \t")
    if "libedit" in (readline.__doc__ or ""):  # pragma: no cover - macOS
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
