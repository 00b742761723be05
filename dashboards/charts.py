"""Small inline SVG charts rendered on the server.

Why this exists rather than a JavaScript charting library: pages are served under a strict
Content-Security-Policy (no scripts, no inline styles), charts must make sense to screen-reader
users, and dashboards only need a handful of simple shapes. Rendering SVG here keeps the pages
script-free and lets every chart carry a text summary.

Why the palette looks the way it does: the product's stance is "progress, not perfection". Charts
describe what happened; they never grade it. So colours are muted and interchangeable, there is
no red/green, and nothing is drawn as a target, threshold or score.

Everything that reaches the output from arguments (titles, labels, series names, units) is
user data - a group name, a pattern name - and goes through ``escape`` exactly once. Styling is
done with SVG presentation attributes because the CSP forbids ``style=`` attributes too.
"""

import math
import textwrap
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["PALETTE", "Series", "bar_chart", "line_chart", "stacked_columns"]

# Muted, roughly equal in visual weight, so no series reads as "good" or "bad".
PALETTE = ("#5b7f95", "#8fb3a9", "#c9a66b", "#9d8fb3", "#b38f8f", "#7d9d6b")
# Lines also differ by dash pattern so they can be told apart without relying on colour.
DASHES = ("", "6 3", "2 3", "8 3 2 3")

TEXT_COLOUR = "#3f4a52"
MUTED_TEXT_COLOUR = "#6b7780"
GRID_COLOUR = "#e4e7ea"
AXIS_COLOUR = "#b9c1c7"
FONT_SIZE = 12
SMALL_FONT_SIZE = 11
# Text cannot be measured on the server; this average glyph width (as a fraction of the font
# size) is only used to leave enough room and to shorten labels that would overlap.
GLYPH_WIDTH = 0.6
MAX_X_LABELS = 8
LEGEND_ROW = 18
EMPTY_TEXT = "No data yet"
NO_DATA_MARK = "\u2014"  # em dash: "no data / suppressed", deliberately not zero


@dataclass(frozen=True)
class Series:
    """One named sequence of values, aligned with the chart's labels.

    ``None`` means "no data" rather than zero, so a missed week shows as a gap instead of
    looking like a drop.
    """

    name: str
    values: list[float | None]


# --- formatting helpers --------------------------------------------------------------------


def _fmt(number: float) -> str:
    """Keep numbers short so the markup stays small and labels never show float noise."""
    rounded = round(number, 1)
    if rounded == int(rounded):
        return str(int(rounded))  # also turns -0.0 into "0"
    return f"{rounded:.1f}"


def _clean(value: float | None) -> float | None:
    """Treat anything unplottable as missing and clamp negatives, which have no meaning here."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return max(0.0, number)


def _aligned(values: Sequence[float | None], count: int) -> list[float | None]:
    """Pad or trim so a series that is shorter than the labels just shows gaps at the end."""
    cleaned = [_clean(v) for v in list(values)[:count]]
    return cleaned + [None] * (count - len(cleaned))


def _text_width(text: str, font_size: int = FONT_SIZE) -> float:
    return len(text) * font_size * GLYPH_WIDTH


def _fit(text: str, max_px: float, font_size: int = FONT_SIZE) -> str:
    """Shorten raw (unescaped) text, so an entity is never cut in half."""
    max_chars = max(1, int(max_px / (font_size * GLYPH_WIDTH)))
    if len(text) <= max_chars:
        return text
    return text[: max(1, max_chars - 1)].rstrip() + "\u2026"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: int = FONT_SIZE,
    fill: str = TEXT_COLOUR,
    max_px: float | None = None,
    transform: str = "",
) -> str:
    """A text node; a shortened label keeps its full wording as a hover tooltip."""
    shown = content if max_px is None else _fit(content, max_px, size)
    tooltip = f"<title>{escape(content)}</title>" if shown != content else ""
    extra = f' transform="{transform}"' if transform else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}"{extra}>{tooltip}{escape(shown)}</text>'
    )


def _shown_label_indexes(count: int) -> list[int]:
    """Thin x labels so long ranges (a year of weeks) stay legible."""
    step = max(1, math.ceil(count / MAX_X_LABELS))
    return list(range(0, count, step))


def _summary_range(labels: Sequence[str]) -> str:
    if not labels:
        return ""
    if len(labels) == 1:
        return f" ({labels[0]})"
    return f" ({labels[0]} to {labels[-1]})"


# --- scale ---------------------------------------------------------------------------------


def _nice_step(raw: float) -> float:
    """Round a grid step up to 1, 2, 2.5 or 5 x 10^n so tick labels are easy to read.

    2.5 is only used from 2.5 upwards and steps never go below 0.1, because labels are shown
    with at most one decimal.
    """
    if raw <= 0:
        return 1.0
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    factors = (1.0, 2.0, 2.5, 5.0, 10.0) if exponent >= 0 else (1.0, 2.0, 5.0, 10.0)
    for factor in factors:
        if factor * base >= raw - 1e-12:
            return max(round(factor * base, 6), 0.1)
    return max(round(10 * base, 6), 0.1)


def _scale(data_max: float, y_max: float | None) -> tuple[float, list[float]]:
    """Return the axis top and 3-5 tick values, always starting at zero.

    Starting at zero matters: a truncated axis would exaggerate small changes, which is exactly
    the kind of judgement these charts should avoid.
    """
    if y_max is not None and math.isfinite(y_max) and y_max > 0:
        top = float(y_max)
        step = _nice_step(top / 4)
        ticks = [round(step * i, 6) for i in range(int(top / step + 1e-9) + 1)]
        if not 3 <= len(ticks) <= 5:
            ticks = [0.0, top / 2, top]
        return top, ticks
    peak = data_max if data_max > 0 else 1.0
    step = _nice_step(peak / 4)
    intervals = max(2, math.ceil(peak / step - 1e-9))
    return round(step * intervals, 6), [round(step * i, 6) for i in range(intervals + 1)]


# --- shared pieces -------------------------------------------------------------------------


def _figure(title: str, body: str) -> SafeString:
    """Wrap the chart in a figure with a visible caption; the one place that marks output safe."""
    html = f'<figure class="chart"><figcaption>{escape(title)}</figcaption>{body}</figure>'
    # Safe: every argument-derived string (title, labels, series names, units, tooltips and
    # the description) was passed through django.utils.html.escape when it was interpolated;
    # everything else is markup written in this module, numbers formatted by _fmt, palette
    # constants, or uuid4 hex ids.
    return mark_safe(html)  # noqa: S308


def _empty(title: str) -> SafeString:
    """Say plainly that nothing is recorded yet, instead of drawing an empty frame."""
    return _figure(title, f'<p class="chart-empty">{EMPTY_TEXT}</p>')


def _svg(*, title: str, desc: str, width: float, height: float, body: str) -> str:
    """The accessible shell: role=img with a named title and a text summary of the data.

    ids come from uuid4 so several charts on one page never share (and confuse) labels.
    """
    uid = uuid.uuid4().hex
    title_id, desc_id = f"chart-{uid}-title", f"chart-{uid}-desc"
    w, h = _fmt(width), _fmt(height)
    return (
        f'<svg role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" class="chart-svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def _legend(
    names: Sequence[str], *, x0: float, y0: float, max_x: float, kind: str
) -> tuple[str, float]:
    """Lay out legend entries left to right, wrapping; returns the markup and its height.

    Line legends draw a short dashed stroke (not a circle) so the circles in a line chart
    stay one-per-data-point.
    """
    parts: list[str] = []
    x, y = x0, y0
    # A long name takes rows of its own, wrapped, rather than being cut (a narrow chart on a
    # phone).
    room = max(max_x - x0 - 22, 60)
    per_line = max(1, int(room / (FONT_SIZE * GLYPH_WIDTH)))
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        lines = textwrap.wrap(name, per_line) or [""]
        item_width = 22 + max(_text_width(line) for line in lines) + 16
        if x > x0 and (len(lines) > 1 or x + item_width > max_x):
            x, y = x0, y + LEGEND_ROW
        mid = y + LEGEND_ROW / 2
        if kind == "line":
            dash = DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_fmt(x)}" y1="{_fmt(mid)}" x2="{_fmt(x + 16)}" y2="{_fmt(mid)}" '
                f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
        else:
            parts.append(
                f'<rect x="{_fmt(x + 2)}" y="{_fmt(mid - 6)}" width="12" height="12" rx="2" '
                f'fill="{colour}"/>'
            )
        for k, line in enumerate(lines):
            parts.append(_text(x + 22, mid + 4 + k * LEGEND_ROW, line))
        if len(lines) > 1:
            x, y = x0 + room + 22, y + (len(lines) - 1) * LEGEND_ROW
        else:
            x += item_width
    height = (y - y0) + LEGEND_ROW if names else 0
    return f'<g class="chart-legend">{"".join(parts)}</g>', height


def _grid(ticks: Sequence[float], *, left: float, right: float, y_of) -> str:
    """Horizontal guides with labels; the zero line is slightly stronger to anchor the eye."""
    parts = []
    for tick in ticks:
        y = y_of(tick)
        colour = AXIS_COLOUR if tick == 0 else GRID_COLOUR
        parts.append(
            f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(right)}" y2="{_fmt(y)}" '
            f'stroke="{colour}" stroke-width="1"/>'
        )
        parts.append(
            _text(
                left - 6,
                y + 4,
                _fmt(tick),
                anchor="end",
                size=SMALL_FONT_SIZE,
                fill=MUTED_TEXT_COLOUR,
            )
        )
    return f'<g class="chart-grid">{"".join(parts)}</g>'


def _x_labels(labels: Sequence[str], xs: Sequence[float], *, y: float, slot: float) -> str:
    shown = _shown_label_indexes(len(labels))
    room = slot * (shown[1] - shown[0]) if len(shown) > 1 else slot
    parts = [
        _text(
            xs[i],
            y,
            labels[i],
            anchor="middle",
            size=SMALL_FONT_SIZE,
            fill=MUTED_TEXT_COLOUR,
            max_px=max(room - 4, SMALL_FONT_SIZE),
        )
        for i in shown
    ]
    return f'<g class="chart-x-labels">{"".join(parts)}</g>'


def _tick_label_width(ticks: Sequence[float]) -> float:
    return max(_text_width(_fmt(t), SMALL_FONT_SIZE) for t in ticks)


# --- charts --------------------------------------------------------------------------------


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    y_max: float | None = None,
    width: int = 640,
    height: int = 220,
    y_label: str = "",
) -> SafeString:
    """Show how something changes over time, one line per series.

    Pass ``y_max`` when values live on a fixed scale (so two charts compare honestly); values
    above it are drawn at the top edge. Without it the axis rounds the largest value up to a
    readable number. Missing values break the line instead of pretending to be zero.
    """
    labels = [str(label) for label in labels]
    count = len(labels)
    rows = [(s.name, _aligned(s.values, count)) for s in series]
    points = sum(v is not None for _, values in rows for v in values)
    if not count or not rows or not points:
        return _empty(title)

    data_max = max(v for _, values in rows for v in values if v is not None)
    top_value, ticks = _scale(data_max, y_max)

    legend = ""
    legend_height = 0.0
    left = 8 + (18 if y_label else 0) + _tick_label_width(ticks) + 8
    right_edge = width - 12
    if len(rows) >= 2:
        legend, legend_height = _legend(
            [name for name, _ in rows], x0=left, y0=6, max_x=right_edge, kind="line"
        )
    top = 10 + legend_height + 6
    bottom = 24
    plot_w = max(right_edge - left, 20)
    plot_h = max(height - top - bottom, 40)
    total_height = top + plot_h + bottom

    def y_of(value: float) -> float:
        return top + plot_h - min(value, top_value) / top_value * plot_h

    inset = 6
    if count == 1:
        xs = [left + plot_w / 2]
        slot = plot_w
    else:
        slot = (plot_w - 2 * inset) / (count - 1)
        xs = [left + inset + slot * i for i in range(count)]

    body = [legend, _grid(ticks, left=left, right=left + plot_w, y_of=y_of)]
    body.append(_x_labels(labels, xs, y=top + plot_h + 16, slot=slot))
    if y_label:
        cy = top + plot_h / 2
        body.append(
            _text(
                12,
                cy,
                y_label,
                anchor="middle",
                size=SMALL_FONT_SIZE,
                fill=MUTED_TEXT_COLOUR,
                max_px=plot_h,
                transform=f"rotate(-90 12 {_fmt(cy)})",
            )
        )

    for index, (name, values) in enumerate(rows):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts: list[str] = []
        run: list[str] = []
        for i, value in enumerate([*values, None]):  # trailing None flushes the last run
            if value is None:
                if len(run) >= 2:
                    parts.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                        f'stroke-width="2" stroke-linejoin="round"{dash_attr}/>'
                    )
                run = []
                continue
            run.append(f"{_fmt(xs[i])},{_fmt(y_of(value))}")
        for i, value in enumerate(values):
            if value is None:
                continue
            tip = escape(f"{name}, {labels[i]}: {_fmt(value)}")
            parts.append(
                f'<circle cx="{_fmt(xs[i])}" cy="{_fmt(y_of(value))}" r="3" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1"><title>{tip}</title></circle>'
            )
        body.append(f'<g class="chart-series">{"".join(parts)}</g>')

    desc = f"Line chart of {len(rows)} series over {count} points{_summary_range(labels)}"
    desc += f", scale 0 to {_fmt(top_value)}"
    desc += f" {y_label}." if y_label else "."
    latest = []
    for name, values in rows:
        known = [(labels[i], v) for i, v in enumerate(values) if v is not None]
        if known:
            latest.append(f"{name}: latest {_fmt(known[-1][1])} ({known[-1][0]})")
        else:
            latest.append(f"{name}: no data")
    desc += " " + "; ".join(latest) + "."

    svg = _svg(title=title, desc=desc, width=width, height=total_height, body="".join(body))
    return _figure(title, svg)


def bar_chart(
    *,
    title: str,
    labels: list[str],
    values: list[float | None],
    width: int = 640,
    bar_height: int = 22,
    value_suffix: str = "",
    labels_above: bool = False,
) -> SafeString:
    """Compare a few amounts side by side, with the number printed so nobody has to estimate.

    Horizontal bars keep long labels (pattern or group names) readable. ``None`` prints an em
    dash rather than zero: it covers both "nothing recorded" and values withheld on purpose
    (for instance, counts too small to share without identifying someone).

    ``labels_above`` puts each label on its own line over its bar, across the whole width:
    long labels then fit in a narrow chart (a phone) instead of being cut.
    """
    labels = [str(label) for label in labels]
    count = len(labels)
    cleaned = _aligned(values, count)
    known = [v for v in cleaned if v is not None]
    if not count or not known:
        return _empty(title)

    bar_height = max(int(bar_height), 4)
    gap = 8
    row_h = bar_height + gap
    peak = max(known)
    texts = [NO_DATA_MARK if v is None else f"{_fmt(v)}{value_suffix}" for v in cleaned]

    line_h = FONT_SIZE + 4
    label_w = min(max(_text_width(label) for label in labels), width * 0.35)
    if labels_above:
        label_w = width - 16
    per_line = max(1, int(label_w / (FONT_SIZE * GLYPH_WIDTH)))
    # Above its bar, a label wraps onto as many lines as it needs: nothing is cut.
    wrapped = [textwrap.wrap(label, per_line) or [""] for label in labels]
    value_w = max(_text_width(t) for t in texts) + 8
    x0 = 8 if labels_above else 8 + label_w + 8
    plot_w = max(width - x0 - value_w - 8, 20)
    top = 6
    heights = [row_h + (len(lines) * line_h + 2 if labels_above else 0) for lines in wrapped]
    total_height = top + sum(heights) + gap

    parts: list[str] = []
    y_row = float(top)
    for i, (label, value, shown) in enumerate(zip(labels, cleaned, texts, strict=True)):
        label_h = heights[i] - row_h
        y = y_row + gap / 2 + label_h
        y_row += heights[i]
        baseline = y + bar_height / 2 + 4
        if labels_above:
            for k, line in enumerate(wrapped[i]):
                parts.append(_text(x0, y - label_h + (k + 1) * line_h - 2, line))
        else:
            parts.append(_text(x0 - 8, baseline, label, anchor="end", max_px=label_w))
        if value is None:
            parts.append(_text(x0 + 6, baseline, shown, fill=MUTED_TEXT_COLOUR))
            continue
        bar_w = value / peak * plot_w if peak > 0 else 0.0
        if bar_w > 0:
            parts.append(
                f'<rect x="{_fmt(x0)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" '
                f'height="{bar_height}" rx="2" fill="{PALETTE[0]}"/>'
            )
        parts.append(_text(x0 + bar_w + 6, baseline, shown))
    parts.insert(
        0,
        f'<line x1="{_fmt(x0)}" y1="{_fmt(top)}" x2="{_fmt(x0)}" '
        f'y2="{_fmt(total_height - gap / 2)}" stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    )

    missing = count - len(known)
    desc = f"Bar chart of {count} values"
    if missing:
        desc += f" ({missing} without data)"
    shown_items = [f"{label}: {t}" for label, t in zip(labels, texts, strict=True)][:20]
    desc += ". " + "; ".join(shown_items)
    desc += f"; and {count - 20} more." if count > 20 else "."

    svg = _svg(title=title, desc=desc, width=width, height=total_height, body="".join(parts))
    return _figure(title, svg)


def stacked_columns(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Show how a total splits into categories per period (e.g. sessions per week by type).

    Stacking shows the mix without ranking categories against each other; the total is printed
    above each column when there is room, so the height never has to be read off the axis.
    """
    labels = [str(label) for label in labels]
    count = len(labels)
    rows = [(s.name, _aligned(s.values, count)) for s in series]
    if not count or not rows or all(v is None for _, values in rows for v in values):
        return _empty(title)

    totals = [sum(values[i] or 0.0 for _, values in rows) for i in range(count)]
    top_value, ticks = _scale(max(totals), None)

    left = 8 + _tick_label_width(ticks) + 8
    right_edge = width - 8
    legend = ""
    legend_height = 0.0
    if len(rows) >= 2:
        legend, legend_height = _legend(
            [name for name, _ in rows], x0=left, y0=6, max_x=right_edge, kind="rect"
        )
    top = 10 + legend_height + 16  # room for the totals above the tallest column
    bottom = 24
    plot_w = max(right_edge - left, 20)
    plot_h = max(height - top - bottom, 40)
    total_height = top + plot_h + bottom

    def y_of(value: float) -> float:
        return top + plot_h - min(value, top_value) / top_value * plot_h

    slot = plot_w / count
    col_w = max(min(slot * 0.7, 56), 1)
    xs = [left + slot * i + slot / 2 for i in range(count)]

    body = [legend, _grid(ticks, left=left, right=left + plot_w, y_of=y_of)]
    body.append(_x_labels(labels, xs, y=top + plot_h + 16, slot=slot))
    for i in range(count):
        base = 0.0
        segments: list[str] = []
        for index, (name, values) in enumerate(rows):
            value = values[i]
            if not value:
                continue
            y_top, y_bottom = y_of(base + value), y_of(base)
            tip = escape(f"{name}, {labels[i]}: {_fmt(value)}")
            segments.append(
                f'<rect x="{_fmt(xs[i] - col_w / 2)}" y="{_fmt(y_top)}" width="{_fmt(col_w)}" '
                f'height="{_fmt(y_bottom - y_top)}" fill="{PALETTE[index % len(PALETTE)]}" '
                f'stroke="#ffffff" stroke-width="1"><title>{tip}</title></rect>'
            )
            base += value
        total_text = _fmt(totals[i])
        if all(values[i] is None for _, values in rows):
            total_text = NO_DATA_MARK
        if _text_width(total_text, SMALL_FONT_SIZE) <= slot - 2:
            segments.append(
                _text(xs[i], y_of(base) - 4, total_text, anchor="middle", size=SMALL_FONT_SIZE)
            )
        body.append(f'<g class="chart-column">{"".join(segments)}</g>')

    desc = f"Stacked column chart of {len(rows)} series over {count} columns"
    desc += f"{_summary_range(labels)}. Totals by series: "
    desc += "; ".join(f"{name} {_fmt(sum(v or 0.0 for v in values))}" for name, values in rows)
    desc += "."

    svg = _svg(title=title, desc=desc, width=width, height=total_height, body="".join(body))
    return _figure(title, svg)
