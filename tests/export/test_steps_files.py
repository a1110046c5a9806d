"""graphstep.export.steps_files: what `steps -o OUT` and the REPL's `save OUT` write, by the name."""

from __future__ import annotations

import gzip
import json
import math
import os
import re

import pytest
from PIL import Image

import graphstep as gs
from graphstep import backend
from graphstep.errors import InputError
from graphstep.export import svg as export
from graphstep.export.steps_files import (
    StepsOutput,
    check_writable_directory,
    check_writable_file,
    steps_output_kind,
    write_steps,
)


@pytest.mark.parametrize(("name", "kind"), [
    ("frames/", StepsOutput.FRAMES), ("out", StepsOutput.FRAMES), ("p.html", StepsOutput.HTML),
    ("p.HTM", StepsOutput.HTML), ("a.GIF", StepsOutput.GIF), ("a.apng", StepsOutput.APNG),
    ("a.png", StepsOutput.APNG),
])
def test_kind_by_name(name, kind):
    assert steps_output_kind(name) is kind
    assert steps_output_kind(name) == kind.value  # the public word


def test_an_existing_folder_is_frames_whatever_its_suffix(tmp_path):
    folder = tmp_path / "odd.gif"
    folder.mkdir()
    assert steps_output_kind(str(folder)) is StepsOutput.FRAMES
    assert steps_output_kind(str(folder) + "/") is StepsOutput.FRAMES


def test_ambiguous_and_unknown_names_are_refused():
    with pytest.raises(InputError, match="ends with a slash, which names a folder of frames"):
        steps_output_kind("anim.gif/")
    with pytest.raises(InputError, match=r"from its suffix '\.txt'"):
        steps_output_kind("notes.txt")


def test_writability_is_checked_before_any_work(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NotADirectoryError):
        check_writable_directory(blocker / "frames")
    with pytest.raises(NotADirectoryError):
        check_writable_file(blocker / "player.html")
    assert check_writable_file(tmp_path / "new" / "p.html") == tmp_path / "new" / "p.html"
    assert not (tmp_path / "new").exists()  # checking makes nothing


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_read_only_folder_is_refused(tmp_path):  # pragma: no cover - not run as root
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(PermissionError):
            check_writable_directory(tmp_path / "frames")
    finally:
        os.chmod(tmp_path, 0o755)


@pytest.mark.backend
def test_write_steps_writes_one_frame_per_step_and_a_player(tmp_path):
    walk = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
    frames = write_steps(walk, str(tmp_path / "frames") + "/")
    assert len(frames) == len(walk) and all(p.suffix == ".svg" and p.exists() for p in frames)
    [player] = write_steps(walk, tmp_path / "walk.html")
    page = player.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page,
                                re.S).group(1).replace("<\\/", "</"))
    assert player.name == "walk.html" and len(data["frames"]) == len(walk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frames", "walk.html"]


@pytest.mark.backend
def test_save_all_numbered_svg_and_png(xexp, tmp_path):
    s = gs.steps(xexp, "reverse")
    paths = s.save_all(tmp_path / "svg")
    assert [p.name for p in paths] == [f"step_{k:03d}.svg" for k in range(1, len(s) + 1)]
    assert "ū₃" in paths[0].read_text(encoding="utf-8")
    pngs = export.save_all(s, tmp_path / "png", fmt="png", scale=1)
    sizes = {Image.open(p).size for p in pngs}
    assert len(pngs) == len(s) and len(sizes) == 1
    width, height = backend.svg_size(export.frames(s)[0])  # scale=1: one pixel per CSS pixel
    ((got_width, got_height),) = sizes  # resvg rounds the size; allow one pixel either way
    assert abs(got_width - math.ceil(width)) <= 1 and abs(got_height - math.ceil(height)) <= 1
    with pytest.raises(gs.RenderError, match="svg, svgz or png"):
        export.save_all(s, tmp_path, fmt="jpg")


@pytest.mark.backend
def test_svgz_frames_are_the_svg_frames_compressed_and_reproducible(xexp, tmp_path):
    s = gs.steps(xexp, "reverse")
    plain = s.save_all(tmp_path / "svg")
    packed = s.save_all(tmp_path / "svgz", fmt="svgz")
    assert [p.name for p in packed] == [p.name.replace(".svg", ".svgz") for p in plain]
    for svg, svgz in zip(plain, packed):
        assert gzip.decompress(svgz.read_bytes()) == svg.read_bytes()
        assert svgz.stat().st_size < svg.stat().st_size / 3
    again = s.save_all(tmp_path / "again", fmt="svgz")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in packed]  # no time stamp inside
