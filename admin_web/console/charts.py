"""Server-rendered SVG charts: no JavaScript, no CDN, readable without colour.

Every bar and point carries its value as text, axes are labelled, and each chart comes with a
visually hidden data table, so the figures reach screen readers, greyscale printouts and colour-blind
eyes alike. Sizes are in viewBox units; the SVG scales to its container.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 600, 250
PAD_L, PAD_R, PAD_T, PAD_B = 50, 10, 24, 30


def nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 x 10^n)."""
    if value <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def compact(value: float) -> str:
    """Short axis labels: 950, 1.2k, 35k, 1.4M."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if abs(value) >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:g}"


@dataclass
class Series:
    label: str
    values: Sequence[float]
    color: str = "#2c5cc5"
    pattern: str = ""  # "", "hatch" or "dots": a second cue besides colour


def _frame(max_v: float, fmt_axis: Callable[[float], str]) -> list[str]:
    parts = []
    inner_h = HEIGHT - PAD_T - PAD_B
    for i in range(5):
        v = max_v * i / 4
        y = PAD_T + inner_h - inner_h * i / 4
        parts.append(f'<line class="grid" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text x="{PAD_L - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt_axis(v))}</text>')
    parts.append(f'<line class="axis" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{PAD_T + inner_h}" y2="{PAD_T + inner_h}"/>')
    return parts


_DEFS = ('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
         '<rect width="6" height="6" fill="white" fill-opacity=".0"/><line x1="0" y1="0" x2="0" y2="6" stroke="white" '
         'stroke-width="2.2" stroke-opacity=".55"/></pattern>'
         '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse"><circle cx="3" cy="3" r="1.2" '
         'fill="white" fill-opacity=".6"/></pattern></defs>')


def bar_chart(labels: Sequence[str], series: Sequence[Series], title: str,
              fmt_value: Callable[[float], str] = compact, stacked: bool = True, counts: bool = False) -> Markup:
    """Vertical bars per label; several series stack (with patterns so they differ without colour)."""
    n = max(1, len(labels))
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))] if stacked else \
        [max((s.values[i] for s in series), default=0) for i in range(len(labels))]
    max_v = nice_max(max(totals, default=0))
    if counts:  # whole numbers on the axis: a multiple of 4 (the frame draws 4 steps)
        max_v = max(4, math.ceil(max(totals, default=0) / 4) * 4)
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    slot = inner_w / n
    bar_w = min(42, slot * 0.66)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>", _DEFS, *_frame(max_v, compact)]
    for i, label in enumerate(labels):
        x = PAD_L + slot * i + (slot - bar_w) / 2
        base = PAD_T + inner_h
        for s in series:
            v = s.values[i]
            if v <= 0:
                continue
            h = inner_h * v / max_v
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="3" fill="{s.color}">'
                         f"<title>{escape(label)}: {escape(s.label)} {escape(fmt_value(v))}</title></rect>")
            if s.pattern:
                parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="3" '
                             f'fill="url(#{s.pattern})"/>')
        if totals[i] > 0:
            parts.append(f'<text class="val" x="{x + bar_w / 2:.1f}" y="{base - 5:.1f}" text-anchor="middle">'
                         f"{escape(fmt_value(totals[i]))}</text>")
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(labels: Sequence[str], values: Sequence[float], title: str, color: str = "#2c5cc5",
               fmt_value: Callable[[float], str] = compact) -> Markup:
    n = len(labels)
    max_v = nice_max(max(values, default=0))
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    step = inner_w / max(1, n)
    points = [(PAD_L + step * i + step / 2, PAD_T + inner_h - inner_h * v / max_v) for i, v in enumerate(values)]
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>", *_frame(max_v, compact)]
    if points:
        area = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polygon points="{points[0][0]:.1f},{PAD_T + inner_h} {area} {points[-1][0]:.1f},{PAD_T + inner_h}" '
                     f'fill="{color}" fill-opacity=".08"/>')
        parts.append(f'<polyline points="{area}" fill="none" stroke="{color}" stroke-width="2.5" stroke-linejoin="round"/>')
    for (x, y), v, label in zip(points, values, labels):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="{color}" stroke-width="2.2">'
                     f"<title>{escape(label)}: {escape(fmt_value(v))}</title></circle>")
        parts.append(f'<text class="val" x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle">{escape(fmt_value(v))}</text>')
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heat_shade(value: int, max_value: int) -> str:
    """Background for a heatmap cell: lighter to darker blue; the number is always printed too."""
    if value <= 0 or max_value <= 0:
        return "#f4f3f0"
    t = 0.15 + 0.85 * (value / max_value)
    r, g, b = (int(246 - (246 - 44) * t), int(248 - (248 - 92) * t), int(253 - (253 - 197) * t))
    return f"rgb({r},{g},{b})"


def heat_text(value: int, max_value: int) -> str:
    return "#fff" if max_value and value / max_value > 0.55 else "#1d2126"
