"""The commands of ``graphstep repl``: one ``do_<name>`` method per command.

:class:`ReplCommands` is the part of :class:`graphstep.repl.Repl` that carries out a
command once the line is read; ``Repl.execute`` looks the command word up in
:data:`ALIASES` and calls ``do_<name>(arguments)``. A command reports a mistake by
raising :class:`~graphstep.errors.InputError`, which the session prints as one line.

>>> import io, graphstep as gs
>>> from graphstep.repl import Repl
>>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
>>> session.do_next(["2"]); session.stepper.index
2
"""

from __future__ import annotations

from pathlib import Path

from graphstep.algorithms.paths import paths_report
from graphstep.errors import InputError
from graphstep.export.image import render
from graphstep.export.steps_files import write_steps
from graphstep.report import grad_report
from graphstep.steps.model import MODES, Mode
from graphstep.steps.select import step_index

__all__ = ["ReplCommands", "HELP", "ALIASES"]

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
ALIASES = {
    "n": "next", "next": "next", "p": "prev", "prev": "prev", "previous": "prev", "b": "prev",
    "back": "prev", "g": "goto", "goto": "goto", "go": "goto", "jump": "goto", ".": "step",
    "l": "step", "step": "step", "current": "step", "list": "list", "ls": "list",
    "mode": "mode", "m": "mode", "wrt": "wrt", "paths": "paths", "grad": "grad", "show": "show",
    "save": "save", "help": "help", "h": "help", "?": "help", "q": "quit", "quit": "quit",
    "exit": "quit",
}


class ReplCommands:
    r"""The command handlers of :class:`graphstep.repl.Repl` (the class they are part of).

    They read and set the session's ``stepper`` and ``graph``, and write with its
    ``say`` and ``show_current``.

    Attributes
    ----------
    stepper : Stepper
        The current walk (the session's).
    graph : Graph
        The graph walked.

    Examples
    --------
    >>> import io, graphstep as gs
    >>> from graphstep.repl import Repl
    >>> out = io.StringIO()
    >>> Repl(gs.parse("2*x", x=1.0), stdout=out).do_help(["next"])
    >>> out.getvalue()
    'n [K]            forward one step (or K steps)\n'
    """

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
        """The ``next`` command: forward one step, or ``K`` (staying on the last).

        Parameters
        ----------
        rest : list of str
            The command's arguments. An optional number of steps ``K``.

        Raises
        ------
        InputError
            When the argument is not a whole number.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_next([]); session.stepper.index
        1
        """
        self._move(self._count(rest, "next"))

    def do_prev(self, rest: list[str]) -> None:
        """The ``prev`` command: back one step, or ``K`` (staying on the first).

        Parameters
        ----------
        rest : list of str
            The command's arguments. An optional number of steps ``K``.

        Raises
        ------
        InputError
            When the argument is not a whole number.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_goto(["last"]); session.do_prev(["5"]); session.stepper.index
        0
        """
        self._move(-self._count(rest, "prev"))

    def do_goto(self, rest: list[str]) -> None:
        """The ``goto`` command: jump to step ``N``.

        Parameters
        ----------
        rest : list of str
            The command's arguments. One step number, 1-based (``first``, ``last``, ``-1``).

        Raises
        ------
        InputError
            For no number, or one that names no step.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_goto(["3"]); session.stepper.index
        2
        """
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
        """The ``step`` command: print the current step again.

        Parameters
        ----------
        rest : list of str
            The command's arguments. None.

        Raises
        ------
        InputError
            When an argument is given.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_step([]); session.stdout.getvalue().splitlines()[0]
        '[step 1 of 3 (reverse)]'
        """
        self._no_arguments(rest, "step")
        self.show_current()

    def do_list(self, rest: list[str]) -> None:
        """The ``list`` command: every step's title, the current one marked ``>``.

        Parameters
        ----------
        rest : list of str
            The command's arguments. None.

        Raises
        ------
        InputError
            When an argument is given.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_list([]); print(session.stdout.getvalue())
        > 1  seed ū1
          2  x̄
          3  gradient
        <BLANKLINE>
        """
        self._no_arguments(rest, "list")
        s = self.stepper
        width = len(str(len(s)))
        for k, step in enumerate(s):
            marker = ">" if k == s.index else " "
            title = step.title or step.text
            self.say(f"{marker} {k + 1:>{width}}  {' '.join(str(title).split())}")

    def do_mode(self, rest: list[str]) -> None:
        """The ``mode`` command: walk the graph in another mode (``mode NAME [WRT]``).

        Parameters
        ----------
        rest : list of str
            The command's arguments. A mode and an optional input.

        Raises
        ------
        InputError
            Without a mode, or for an unknown mode or input.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_mode(["forward"]); str(session.stepper.mode), len(session.stepper)
        ('forward', 2)
        """
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
        """The ``wrt`` command: differentiate by another input.

        Parameters
        ----------
        rest : list of str
            The command's arguments. One input name.

        Raises
        ------
        InputError
            Without exactly one name, or for an unknown input.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_wrt(["x"]); session.stepper.wrt
        'x'
        """
        if len(rest) != 1:
            raise InputError(f"wrt takes one input name: {', '.join(self.graph.inputs)}")
        self.stepper = self._make_stepper(self.stepper.mode, rest[0])
        self.say(f"mode {self.stepper.mode} with respect to {rest[0]}: {len(self.stepper)} steps")
        self.show_current()

    def do_paths(self, rest: list[str]) -> None:
        """The ``paths`` command: the table of paths, factors and products, and their sum.

        Parameters
        ----------
        rest : list of str
            The command's arguments. An optional input name.

        Raises
        ------
        InputError
            For more than one name, or an unknown input.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_paths(["x"]); session.stdout.getvalue().splitlines()[0]
        'paths from the output back to x: 1'
        """
        if len(rest) > 1:
            raise InputError("paths takes at most one input name")
        names = rest or ([self.stepper.wrt] if getattr(self.stepper, "wrt", None) else self.graph.inputs)
        for k, name in enumerate(names):
            if k:
                self.say()
            self.say(paths_report(self.graph, name))

    def do_grad(self, rest: list[str]) -> None:
        """The ``grad`` command: the value, the gradients and the tables of paths.

        Parameters
        ----------
        rest : list of str
            The command's arguments. None.

        Raises
        ------
        InputError
            When an argument is given.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_grad([]); session.stdout.getvalue().splitlines()[:2]
        ['f = 2*x   at x = 1', 'value: 2']
        """
        self._no_arguments(rest, "grad")
        self.say(grad_report(self.graph, check=False))

    def do_show(self, rest: list[str]) -> None:
        """The ``show`` command: write the current step's picture and print where.

        Parameters
        ----------
        rest : list of str
            The command's arguments. A file name, or a format (``svg``, ``png``, ``dot``, ``pdf``).

        Raises
        ------
        InputError
            For more than one argument, or a file name without a suffix.
        RenderError
            When the picture cannot be made.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> import os, tempfile
        >>> target = os.path.join(tempfile.mkdtemp(), "step.dot")
        >>> session.do_show([target]); open(target).read().startswith("digraph")
        True
        """
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
        """The ``save`` command: write the player and all frames (or the walk to ``OUT``).

        Parameters
        ----------
        rest : list of str
            The command's arguments. An optional target: ``dir/``, ``FILE.html``, ``FILE.gif``
            or ``FILE.apng``.

        Raises
        ------
        InputError
            For more than one argument or an unknown kind of target.
        WriteError
            When a file cannot be written.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> import os, tempfile
        >>> target = os.path.join(tempfile.mkdtemp(), "walk.html")
        >>> session.do_save([target]); os.path.exists(target)
        True
        """
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
        r"""The ``help`` command: the list of commands, or one command's line.

        Parameters
        ----------
        rest : list of str
            The command's arguments. An optional command word.

        Raises
        ------
        InputError
            For an unknown command.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> from graphstep.repl import Repl
        >>> session = Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=io.StringIO())
        >>> session.do_help(["g"]); session.stdout.getvalue()
        'g N              jump to step N (1 to the number of steps; first, last, -1 = last)\n'
        """
        if rest:
            name = ALIASES.get(rest[0].lower())
            if name is None:
                raise InputError(f"no command {rest[0]!r}; type help for the list")
            self.say(HELP[name])
            return
        self.say("commands:")
        for text in HELP.values():
            self.say("  " + text)
        self.say("  (Enter repeats n in a terminal; # starts a comment)")
