"""graphstep.render.metrics: DejaVu Sans widths, rounded to whole pixels as Pango does."""

import pytest

from graphstep.render.metrics import UNKNOWN_EM, line_height, text_width


def test_widths_come_from_the_font_table_in_whole_pixels():
    # DejaVu Sans: x is 1212/2048 em, bold 1321/2048; at 14 pt (18.67 px) 11 and 12 pixels
    assert text_width("x", 14) == 11 * 0.75 and text_width("x", 14, bold=True) == 12 * 0.75
    assert text_width("x" * 31, 14) == pytest.approx(255.75)
    assert text_width("∂u₁/∂x", 12) == sum(text_width(c, 12) for c in "∂u₁/∂x")


def test_bold_is_never_narrower_and_subscripts_are_narrower_than_digits():
    for char in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
        assert text_width(char, 14, bold=True) >= text_width(char, 14)
    assert text_width("₁₂", 14) < text_width("12", 14)


def test_an_unknown_character_counts_a_full_em_and_a_combining_mark_nothing():
    assert text_width("中文", 12) == 2 * UNKNOWN_EM * 12
    assert text_width("x\u0304", 14) == text_width("x", 14)
    assert text_width("", 14) == 0.0


def test_line_heights_are_the_ones_graphviz_uses():
    assert [line_height(size) for size in (11, 12, 14)] == [12.0, 13.0, 15.0]
