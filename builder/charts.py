"""Bar charts as inline SVG, drawn at build time: no chart library, no script, themable by CSS.

Colours come from CSS custom properties (`currentColor` and classes), so the
same SVG follows the light and dark themes.
"""

from __future__ import annotations

from html import escape

WIDTH = 640
BAR = 22
GAP = 8
LABEL = 190


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def hbar_chart(title: str, data: list[tuple[str, float]]) -> str:
    """Horizontal bars, one per label (skills); values printed at the end of each bar."""
    height = max(1, len(data)) * (BAR + GAP) + GAP
    top = max((v for _, v in data), default=0) or 1
    span = WIDTH - LABEL - 70
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(data):
        y = GAP + i * (BAR + GAP)
        w = max(1.0, span * value / top)
        text = label if len(label) <= 26 else label[:25] + "…"
        parts.append(f'<text class="chart-label" x="{LABEL - 8}" y="{y + BAR * 0.7:.1f}" '
                     f'text-anchor="end">{escape(text)}</text>')
        parts.append(f'<rect class="chart-bar" x="{LABEL}" y="{y}" width="{w:.1f}" height="{BAR}" '
                     f'rx="3"><title>{escape(label)}: {_fmt(value)}</title></rect>')
        parts.append(f'<text class="chart-value" x="{LABEL + w + 6:.1f}" y="{y + BAR * 0.7:.1f}">'
                     f"{_fmt(value)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def column_chart(title: str, data: list[tuple[str, float]], height: int = 220) -> str:
    """Vertical columns over time (weeks), with the first and last label on the axis."""
    count = max(1, len(data))
    top = max((v for _, v in data), default=0) or 1
    plot_h = height - 40
    step = (WIDTH - 60) / count
    col = max(2.0, step * 0.7)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<line class="chart-axis" x1="50" y1="{plot_h + 10}" x2="{WIDTH - 5}" y2="{plot_h + 10}"/>',
             f'<text class="chart-value" x="44" y="18" text-anchor="end">{_fmt(top)}</text>',
             f'<text class="chart-value" x="44" y="{plot_h + 10}" text-anchor="end">0</text>']
    for i, (label, value) in enumerate(data):
        h = plot_h * value / top
        x = 55 + i * step
        parts.append(f'<rect class="chart-bar" x="{x:.1f}" y="{plot_h + 10 - h:.1f}" width="{col:.1f}" '
                     f'height="{h:.1f}" rx="2"><title>{escape(label)}: {_fmt(value)}</title></rect>')
    if data:
        parts.append(f'<text class="chart-label" x="55" y="{height - 8}">{escape(data[0][0])}</text>')
        if len(data) > 1:
            parts.append(f'<text class="chart-label" x="{WIDTH - 5}" y="{height - 8}" '
                         f'text-anchor="end">{escape(data[-1][0])}</text>')
    parts.append("</svg>")
    return "".join(parts)
