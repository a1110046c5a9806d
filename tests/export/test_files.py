"""graphstep.export.files: picture files (the atomic writing itself is tested in
tests/test_atomic_writes.py)."""

from __future__ import annotations

import errno
import io
import os
import stat

import pytest
from PIL import Image

import graphstep as gs
from graphstep import backend
from graphstep.cli import main
from graphstep.docs.figure import Figure
from graphstep.export import files

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="30pt" height="15pt"><rect width="5" height="5"/></svg>'


def test_svg_file_data_declares_xml_or_rasterises():
    data = files.svg_file_data(SVG)
    assert data == ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + SVG).encode()
    png = Image.open(io.BytesIO(files.svg_file_data(SVG, "png", scale=1)))
    assert png.size == (40, 20)  # 30pt x 15pt at one pixel per CSS pixel
    with pytest.raises(gs.RenderError, match="svg or png"):
        files.svg_file_data(SVG, "gif")


def test_a_failed_layout_leaves_the_dot_source_beside_the_picture(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise gs.RenderError("no layout today")

    monkeypatch.setattr(backend, "run_dot", broken)
    with pytest.raises(gs.RenderError, match=r"no layout today \(the DOT source is in .*g\.dot\)"):
        files.render_dot("digraph { a -> b }", tmp_path / "g.png", "png")
    assert (tmp_path / "g.dot").read_text() == "digraph { a -> b }"
    assert not (tmp_path / "g.png").exists()


@pytest.mark.backend
def test_render_dot_writes_the_cleaned_svg(tmp_path):
    path = files.render_dot("digraph { a -> b }", tmp_path / "g.svg", "svg")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<!--" not in text and "<title>" not in text
    assert text.count('<g id="node') == 2


def test_progress_passes_items_through_without_a_terminal():
    assert list(files.progress(iter(range(50)), 50, "frames")) == list(range(50))


OLD = b"the previous, valid file\n"


class _FailingFile:
    """A real file that takes ``limit`` bytes, then fails like a full disk (or Ctrl-C)."""

    def __init__(self, handle, limit: int, failure: BaseException):
        self._handle, self._left, self._failure = handle, limit, failure

    def write(self, data):
        data = bytes(data)
        if len(data) > self._left:
            self._handle.write(data[:self._left])
            self._left = 0
            raise self._failure
        self._left -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


def fail_after(monkeypatch, limit: int = 64, failure: BaseException | None = None) -> list[int]:
    """Make every output file fail after ``limit`` bytes; returns a list counting the opens."""
    failure = failure or OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    real = files._open_fd
    opened: list[int] = []

    def opener(fd, mode):
        opened.append(fd)
        return _FailingFile(real(fd, mode), limit, failure)

    monkeypatch.setattr(files, "_open_fd", opener)
    return opened


def listing(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def graph():
    return gs.parse("x * exp(x^2)", x=1.5)


@pytest.fixture
def stepper(graph):
    return gs.steps(graph, "reverse")


WRITERS = {
    "svg": lambda g, s, p: gs.render(g, p),
    "png": lambda g, s, p: gs.render(g, p),
    "dot": lambda g, s, p: gs.render(g, p),
    "step.svg": lambda g, s, p: gs.render(s, p),
    "html": lambda g, s, p: s.to_html(p),
    "gif": lambda g, s, p: s.to_gif(p),
    "apng": lambda g, s, p: s.to_apng(p),
}


def _target(tmp_path, kind):
    return tmp_path / ("keep." + kind.split(".")[-1])


@pytest.mark.backend
@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("failure", ["disk full", "interrupt"])
def test_a_write_that_fails_midway_leaves_the_old_file(tmp_path, monkeypatch, graph, stepper, kind, failure):
    path = _target(tmp_path, kind)
    path.write_bytes(OLD)
    before = listing(tmp_path)
    opened = fail_after(monkeypatch, 64, KeyboardInterrupt() if failure == "interrupt" else None)
    expected = KeyboardInterrupt if failure == "interrupt" else gs.WriteError
    with pytest.raises(expected) as caught:
        WRITERS[kind](graph, stepper, path)
    assert opened, "the writer never opened its temporary file"
    assert listing(tmp_path) == before  # old bytes, and no temporary file left behind
    if failure == "disk full":
        assert str(caught.value) == f"cannot write {path}: No space left on device"
        assert isinstance(caught.value, OSError) and caught.value.errno == errno.ENOSPC


@pytest.mark.backend
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_write_that_succeeds_replaces_the_file_and_keeps_its_mode(tmp_path, graph, stepper, kind):
    path = _target(tmp_path, kind)
    path.write_bytes(OLD)
    os.chmod(path, 0o640)
    WRITERS[kind](graph, stepper, path)
    assert path.read_bytes() != OLD
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.backend
def test_a_new_file_gets_the_usual_permissions_not_the_temp_files(tmp_path):
    umask = os.umask(0o022)
    try:
        path = files.atomic_write(tmp_path / "new.txt", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.backend
def test_an_encoder_interrupted_between_gif_frames_leaves_the_old_gif(tmp_path, monkeypatch, stepper):
    """Ctrl-C while the GIF's second frame is rasterised: the first is already in the temp file."""
    victim = tmp_path / "victim.gif"
    stepper.to_gif(victim)
    old = victim.read_bytes()
    real, calls = backend.svg_to_png, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(backend, "svg_to_png", interrupted)
    with pytest.raises(KeyboardInterrupt):
        stepper.to_gif(victim)
    assert victim.read_bytes() == old and Image.open(victim).n_frames == len(stepper)
    assert [p.name for p in tmp_path.iterdir()] == ["victim.gif"]


@pytest.mark.backend
@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("failure", ["disk full", "interrupt"])
def test_save_all_is_all_or_nothing(tmp_path, monkeypatch, stepper, fmt, failure):
    folder = tmp_path / "frames"
    first = stepper.save_all(folder, fmt=fmt)
    assert [p.name for p in first] == [f"step_{k:03d}.{fmt}" for k in range(1, len(stepper) + 1)]
    for p in first:
        p.write_bytes(OLD + p.name.encode())
    (folder / "notes.txt").write_text("mine")
    before = listing(folder)
    # the third frame fails part-way: two complete new frames are already staged
    real, opened = files._open_fd, []

    def opener(fd, mode):
        opened.append(fd)
        handle = real(fd, mode)
        if len(opened) < 3:
            return handle
        return _FailingFile(handle, 10, KeyboardInterrupt() if failure == "interrupt"
                            else OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(files, "_open_fd", opener)
    with pytest.raises(KeyboardInterrupt if failure == "interrupt" else gs.WriteError):
        stepper.save_all(folder, fmt=fmt)
    assert len(opened) == 3
    assert listing(folder) == before


@pytest.mark.backend
def test_pdf_goes_through_the_atomic_writer(tmp_path, monkeypatch, graph):
    real = backend.run_dot
    monkeypatch.setattr(backend, "run_dot",
                        lambda source, fmt="svg", executable=None:
                        b"%PDF-1.4 fake\n" * 50 if fmt == "pdf" else real(source, fmt, executable))
    path = tmp_path / "keep.pdf"
    path.write_bytes(OLD)
    fail_after(monkeypatch, 20)
    with pytest.raises(gs.WriteError, match="cannot write .*keep.pdf: No space left on device"):
        gs.render(graph, path)
    assert listing(tmp_path) == {"keep.pdf": OLD}


@pytest.mark.backend
def test_demo_index_is_written_atomically(tmp_path, monkeypatch):
    from graphstep.gallery import site as demo

    (tmp_path / "index.html").write_bytes(OLD)
    monkeypatch.setattr(demo, "build_example", lambda name, directory, gif=True: _empty_entry(name))
    fail_after(monkeypatch, 30)
    with pytest.raises(gs.WriteError, match="index.html: No space left on device"):
        demo.build_demo(tmp_path, only=["sigmoid"], gif=False, jobs=1, log=None)
    assert listing(tmp_path) == {"index.html": OLD}


def _empty_entry(name):
    from graphstep.gallery import site as demo

    example = demo.EXAMPLES[name]
    return demo.DemoEntry(name, example.title, example.seed, example.expression, [], example.mode,
                          example.wrt, example.kind, example.note, tuple(example.tags))


@pytest.mark.backend
@pytest.mark.parametrize("output", ["svg", "png", "player", "gif"])
def test_docs_figures_sphinx_and_mkdocs_write_atomically(tmp_path, monkeypatch, output):
    """Figure.produce makes the Sphinx directive's and the MkDocs fence's files."""
    figure = Figure.from_options("sin(x)", {"at": "x=0.5", "mode": "reverse", "output": output,
                                            "steps": "1,2" if output in ("svg", "png") else "all"})
    real = files._open_fd
    fail_after(monkeypatch, 40)
    with pytest.raises(gs.WriteError, match="No space left on device"):
        figure.produce(tmp_path)
    assert listing(tmp_path) == {}
    monkeypatch.setattr(files, "_open_fd", real)
    paths = figure.produce(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


@pytest.mark.backend
def test_a_read_only_folder_is_refused_with_the_reason(tmp_path, monkeypatch):
    """No temp file can be made beside the target: refuse (never overwrite in place)."""
    path = tmp_path / "keep.svg"
    path.write_bytes(OLD)
    real = os.open

    def no_new_files(name, flags, mode=0o777, **kwargs):
        if files.TEMP_MARK in os.fspath(name):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(name))
        return real(name, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", no_new_files)
    with pytest.raises(gs.WriteError) as caught:
        files.atomic_write(path, b"new")
    message = str(caught.value)
    assert message.startswith(f"cannot write {path}: no temporary file can be made in its folder")
    assert "Permission denied" in message and "does not overwrite in place" in message
    assert listing(tmp_path) == {"keep.svg": OLD}


@pytest.mark.backend
@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_really_read_only_folder_is_refused(tmp_path):  # pragma: no cover - not run as root
    path = tmp_path / "keep.svg"
    path.write_bytes(OLD)
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(gs.WriteError, match="no temporary file can be made"):
            gs.render(gs.parse("2*x", x=1.0), path)
    finally:
        os.chmod(tmp_path, 0o755)
    assert path.read_bytes() == OLD


@pytest.mark.backend
@pytest.mark.parametrize("name", ["out.svg/", "out.dot/", "out.png" + os.sep])
def test_a_trailing_slash_on_a_file_output_is_refused(tmp_path, graph, name):
    with pytest.raises(gs.InputError, match="ends with a slash"):
        gs.render(graph, str(tmp_path) + os.sep + name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.backend
def test_exporters_refuse_a_trailing_slash(tmp_path, stepper):
    for method, name in (("to_html", "p.html/"), ("to_gif", "a.gif/"), ("to_apng", "a.png/")):
        with pytest.raises(gs.InputError, match="ends with a slash"):
            getattr(stepper, method)(f"{tmp_path}/{name}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.backend
def test_cli_render_on_a_full_disk_names_the_path_and_keeps_the_old_png(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "x*exp(x^2)", "--at", "x=1.5", "-o", "keep.png"]) == 0
    old = (tmp_path / "keep.png").read_bytes()
    capsys.readouterr()
    fail_after(monkeypatch, 100)
    assert main(["render", "sin(x)", "--at", "x=1", "-o", "keep.png"]) == 2
    err = capsys.readouterr().err
    assert err == "graphstep render: error: cannot write keep.png: No space left on device\n"
    assert (tmp_path / "keep.png").read_bytes() == old
    assert Image.open(tmp_path / "keep.png").size[0] > 0
    assert [p.name for p in tmp_path.iterdir()] == ["keep.png"]


@pytest.mark.backend
def test_cli_steps_html_on_a_full_disk_keeps_the_old_player(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.html").write_bytes(OLD)
    fail_after(monkeypatch, 0)
    assert main(["steps", "x*2", "--at", "x=1", "-o", "keep.html"]) == 2
    assert capsys.readouterr().err == ("graphstep steps: error: cannot write keep.html: "
                                       "No space left on device\n")
    assert listing(tmp_path) == {"keep.html": OLD}


@pytest.mark.backend
def test_cli_ctrl_c_during_steps_gif_keeps_the_old_gif(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["steps", "x*exp(x^2)", "--at", "x=1.5", "--mode", "reverse", "-o", "victim.gif"]) == 0
    old = (tmp_path / "victim.gif").read_bytes()
    real, calls = backend.svg_to_png, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(backend, "svg_to_png", interrupted)
    capsys.readouterr()
    assert main(["steps", "x*exp(x^2)", "--at", "x=1.5", "--mode", "reverse", "-o", "victim.gif"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert (tmp_path / "victim.gif").read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["victim.gif"]


@pytest.mark.backend
@pytest.mark.parametrize("argv", [
    ["render", "x", "--at", "x=1", "-o", "out.svg/"],
    ["render", "x", "--at", "x=1", "-o", "out.png/"],
    ["steps", "x", "--at", "x=1", "-o", "anim.gif/"],
    ["steps", "x", "--at", "x=1", "-o", "player.html/"],
])
def test_cli_refuses_a_trailing_slash_on_a_file_output(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ends with a slash" in err
    assert list(tmp_path.iterdir()) == []
