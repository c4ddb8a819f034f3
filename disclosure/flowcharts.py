"""Procedure flowcharts (执法流程图), drawn by the application from the workflow's own table.

``cases.workflow.graph.FLOWS`` says which step moves a case (or a coercive measure) from which
state to which; this module lays the states out in rows (longest path from the entry, back edges
set aside) and writes an SVG with a <title> and <desc>, plus the same content as a text list for
screen readers and for readers without images. Nothing is hand-drawn: a new state or step in the
workflow's table changes the chart.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from cases.workflow.graph import edge_label, step_labels

NODE_W, NODE_H = 168, 40
COL_GAP, ROW_GAP = 36, 58
LANE_GAP = 16
MARGIN = 16
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


@dataclass
class Placed:
    value: str
    label: str
    rank: int
    x: float = 0
    y: float = 0


@dataclass
class Step:
    """One line of the text list: a move between states, or a step taken inside a state."""

    label: str
    source: str
    target: str
    article: str


def _ranks(flow):
    """{state: row}: the longest path from the entry, after dropping edges that go back (cycles)."""
    nodes = [s.value for s in flow.nodes()]
    out = {n: [] for n in nodes}
    for edge in flow.edges:
        if edge.source:
            out[edge.source].append(edge.target)
    entries = [e.target for e in flow.edges if e.source is None]
    # Depth-first from the entries in table order: an edge to a state on the current path is a back edge.
    back, seen, stack = set(), set(), []

    def visit(n):
        seen.add(n)
        stack.append(n)
        for m in out[n]:
            if m in stack:
                back.add((n, m))
            elif m not in seen:
                visit(m)
        stack.pop()

    for n in entries + nodes:
        if n not in seen:
            visit(n)
    rank = dict.fromkeys(nodes, 0)
    for _round in range(len(nodes)):
        changed = False
        for n in nodes:
            for m in out[n]:
                if (n, m) not in back and rank[m] < rank[n] + 1:
                    rank[m] = rank[n] + 1
                    changed = True
        if not changed:
            break
    return rank, back


def layout(flow):
    """(placed nodes by value, width, height, lanes) for a flow."""
    rank, back = _ranks(flow)
    placed = {s.value: Placed(s.value, str(s.label), rank[s.value]) for s in flow.nodes()}
    rows = {}
    for node in placed.values():
        rows.setdefault(node.rank, []).append(node)
    widest = max(len(r) for r in rows.values())
    # Edges that skip rows or go back are drawn in lanes beside the nodes: back edges left, long ones right.
    left, right = [], []
    for edge in flow.edges:
        if edge.source is None:
            continue
        a, b = placed[edge.source], placed[edge.target]
        if (edge.source, edge.target) in back or b.rank <= a.rank:
            left.append(edge)
        elif b.rank - a.rank > 1:
            right.append(edge)
    body_w = widest * NODE_W + (widest - 1) * COL_GAP
    x0 = MARGIN + len(left) * LANE_GAP + (LANE_GAP if left else 0)
    for r, row in rows.items():
        row_w = len(row) * NODE_W + (len(row) - 1) * COL_GAP
        start = x0 + (body_w - row_w) / 2
        for i, node in enumerate(row):
            node.x = start + i * (NODE_W + COL_GAP)
            node.y = MARGIN + 24 + r * (NODE_H + ROW_GAP)
    width = x0 + body_w + (len(right) + 1) * LANE_GAP + MARGIN
    height = MARGIN + 24 + (max(rows) + 1) * (NODE_H + ROW_GAP) - ROW_GAP + MARGIN
    return placed, width, height, left, right, x0, body_w


def _text(x, y, text, size=13, anchor="middle", weight="normal", fill="#1a1a1a"):
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}">{escape(str(text))}</text>'
    )


def render_svg(flow, *, standalone=False):
    """The flowchart of `flow` as an SVG string (accessible: role img, <title>, <desc>)."""
    labels = step_labels()
    placed, width, height, left, right, x0, body_w = layout(flow)
    title_id, desc_id = f"flow-{flow.key}-title", f"flow-{flow.key}-desc"
    desc = "；".join(
        f"{placed[e.source].label if e.source else _('开始')} → {edge_label(e, labels)} → {placed[e.target].label}"
        for e in flow.edges
    )
    parts = []
    ns = ' xmlns="http://www.w3.org/2000/svg"'
    parts.append(
        f'<svg{ns} class="flowchart" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{FONT}">'
    )
    parts.append(f'<title id="{title_id}">{escape(str(flow.title))}</title>')
    parts.append(f'<desc id="{desc_id}">{escape(desc)}</desc>')
    parts.append(
        f'<defs><marker id="arrow-{flow.key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#44546a"/>'
        "</marker></defs>"
    )
    if standalone:
        parts.append(f'<rect width="{width:.0f}" height="{height:.0f}" fill="#fff"/>')
    marker = f'marker-end="url(#arrow-{flow.key})"'
    stroke = 'stroke="#44546a" stroke-width="1.5" fill="none"'
    # Entry arrows.
    for e in flow.edges:
        if e.source is None:
            t = placed[e.target]
            cx = t.x + NODE_W / 2
            parts.append(f'<circle cx="{cx:.0f}" cy="{MARGIN + 6}" r="6" fill="#44546a"/>')
            parts.append(f'<path d="M{cx:.0f},{MARGIN + 12} L{cx:.0f},{t.y:.0f}" {stroke} {marker}/>')
    # Straight edges between adjacent rows.
    for e in flow.edges:
        if e.source is None or e in left or e in right:
            continue
        a, b = placed[e.source], placed[e.target]
        x1, y1 = a.x + NODE_W / 2, a.y + NODE_H
        x2, y2 = b.x + NODE_W / 2, b.y
        parts.append(
            f'<path d="M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}" {stroke} {marker}><title>{escape(str(edge_label(e, labels)))}</title></path>'
        )
        mx, my = (x1 + x2) / 2 + 6, (y1 + y2) / 2 + 4
        parts.append(_text(mx, my, edge_label(e, labels), size=11, anchor="start", fill="#44546a"))
    # Lanes: back edges on the left, long forward edges on the right.
    for i, e in enumerate(left):
        a, b = placed[e.source], placed[e.target]
        lane = x0 - (i + 1) * LANE_GAP
        y1 = a.y + NODE_H / 2
        parts.append(
            # Into the target from above, so the line never crosses a neighbour in the target's row.
            f'<path d="M{a.x:.0f},{y1:.0f} L{lane:.0f},{y1:.0f} L{lane:.0f},{b.y - 12:.0f} '
            f'L{b.x + 14:.0f},{b.y - 12:.0f} L{b.x + 14:.0f},{b.y:.0f}" '
            f'{stroke} stroke-dasharray="5 3" {marker}><title>{escape(str(edge_label(e, labels)))}</title></path>'
        )
    for i, e in enumerate(right):
        a, b = placed[e.source], placed[e.target]
        lane = x0 + body_w + (i + 1) * LANE_GAP
        y1, y2 = a.y + NODE_H / 2 + (i % 3 - 1) * 6, b.y + NODE_H / 2 + (i % 3 - 1) * 6
        parts.append(
            f'<path d="M{a.x + NODE_W:.0f},{y1:.0f} L{lane:.0f},{y1:.0f} L{lane:.0f},{y2:.0f} '
            f'L{b.x + NODE_W:.0f},{y2:.0f}" {stroke} {marker}><title>{escape(str(edge_label(e, labels)))}</title></path>'
        )
    # Nodes last, over the lines.
    for node in placed.values():
        terminal = not any(e.source == node.value for e in flow.edges)
        fill = "#e8eef6" if not terminal else "#eef5ea"
        parts.append(
            f'<g class="node" data-state="{escape(node.value)}"><rect x="{node.x:.0f}" y="{node.y:.0f}" '
            f'width="{NODE_W}" height="{NODE_H}" rx="6" fill="{fill}" stroke="#1f3b5c" stroke-width="1.5"/>'
            + _text(node.x + NODE_W / 2, node.y + NODE_H / 2 + 5, node.label, size=14, weight="bold")
            + "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def text_steps(flow):
    """The chart as a list: [(state label, [Step…], [steps inside the state…])] in row order."""
    labels = step_labels()
    placed = layout(flow)[0]
    states = sorted(placed.values(), key=lambda p: (p.rank, p.x))
    out = []
    entries = [
        Step(str(edge_label(e, labels)), _("开始"), placed[e.target].label, e.article)
        for e in flow.edges
        if e.source is None
    ]
    for node in states:
        moves = [
            Step(str(edge_label(e, labels)), node.label, placed[e.target].label, e.article)
            for e in flow.edges
            if e.source == node.value
        ]
        inside = [str(labels.get(name, name)) for name in flow.within.get(node.value, ())]
        out.append((node.label, moves, inside))
    return entries, out

