"""Where each word's label goes: pure geometry in display units (pixels), no matplotlib.

:func:`place_labels` is given the points, the size of every label and the
area labels must stay in, and picks for each label one of a few candidate
positions around its point so that labels overlap each other and the points
as little as possible.  The drawing code measures the labels and draws them
where this module says.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: candidate label positions around a point: unit direction (dx, dy) and text alignment
DIRECTIONS = (
    (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
    (0.71, 0.71, "left", "bottom"),
    (-0.71, 0.71, "right", "bottom"),
    (0.71, -0.71, "left", "top"),
    (-0.71, -0.71, "right", "top"),
)
#: distances from the point tried in turn, in multiples of the base gap; from the third on a leader line is drawn
RINGS = (1.0, 2.5, 4.5, 7.0, 10.0)
#: the first ring from which a label is joined to its point by a leader line
LEADER_FROM_RING = 2
#: overlaps below this many square pixels do not count
TOLERANCE = 1.0


class Placement(NamedTuple):
    """Where one label goes: offset (dx, dy) from its point, text alignment, and the ring it was found on."""

    dx: float
    dy: float
    ha: str
    va: str
    ring: int

    @property
    def leader(self) -> bool:
        """Whether the label is far enough from its point to need a line to it."""
        return self.ring >= LEADER_FROM_RING


def label_box(px, py, w, h, dx, dy, ha, va) -> tuple[float, float, float, float]:
    """Box (x0, y0, x1, y1) of a label of size (w, h) anchored at (px + dx, py + dy) with alignment (ha, va)."""
    ax_, ay_ = px + dx, py + dy
    x0 = ax_ if ha == "left" else (ax_ - w if ha == "right" else ax_ - w / 2)
    y0 = ay_ if va == "bottom" else (ay_ - h if va == "top" else ay_ - h / 2)
    return (x0, y0, x0 + w, y0 + h)


def overlap_area(box, boxes: np.ndarray) -> np.ndarray:
    """Intersection areas of ``box`` (x0, y0, x1, y1) with each row of ``boxes`` (m, 4)."""
    if len(boxes) == 0:
        return np.zeros(0)
    iw = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    ih = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return np.clip(iw, 0, None) * np.clip(ih, 0, None)


def outside_area(box, area) -> float:
    """The part of ``box``'s area that lies outside ``area`` (both (x0, y0, x1, y1))."""
    w, h = box[2] - box[0], box[3] - box[1]
    inside = max(0.0, min(box[2], area[2]) - max(box[0], area[0])) * max(0.0, min(box[3], area[3]) - max(box[1], area[1]))
    return max(0.0, w * h - inside)


def place_labels(
    points: np.ndarray,
    sizes: np.ndarray,
    area: tuple[float, float, float, float],
    *,
    gap: float,
    marker,
    pad: float = 0.0,
    drop: bool = False,
):
    """Choose a position for each label so labels overlap each other and the points as little as possible.

    All in display units (pixels): ``points`` (n, 2) point positions, ``sizes``
    (n, 2) label widths and heights, ``area`` the (x0, y0, x1, y1) box labels
    should stay inside, ``gap`` the distance from a point to its label,
    ``marker`` the side of the box kept free around every point (a number, or
    one per point), ``pad`` the clear space kept between two labels (so
    neighbouring words do not read as one).

    Greedy and deterministic: labels are placed in the given order (put the
    important words first); each takes the first candidate position (8
    directions, then the same further out, see :data:`RINGS`) that overlaps
    nothing already placed, no point and stays inside ``area``; when none is
    free it takes the candidate with the least overlap, or with ``drop`` is
    left out (its placement None, its box NaN), so that only labels that fit
    are drawn.  Returns ``(placements, boxes, overlapping)``: one
    :class:`Placement` (offsets in display units) or None per label, the chosen
    boxes (n, 4), and how many labels could not avoid overlapping (with
    ``drop``: how many were left out).
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    sizes = np.asarray(sizes, dtype=np.float64).reshape(-1, 2)
    n = len(points)
    halves = np.broadcast_to(np.asarray(marker, dtype=np.float64) / 2.0, (n,))
    point_boxes = np.column_stack([points - halves[:, None], points + halves[:, None]])
    boxes = np.full((n, 4), np.nan)
    kept = np.zeros((n, 4))  # the boxes placed so far, packed: kept[:k]
    k = 0
    placements: list[Placement | None] = []
    overlapping = 0
    for i in range(n):
        others = np.delete(point_boxes, i, axis=0)
        cost, placement, box = _best_position(points[i], sizes[i], halves[i], gap, pad, area, kept[:k], others)
        if cost > 0.0:
            overlapping += 1
            if drop:
                placements.append(None)
                continue
        kept[k] = boxes[i] = box
        k += 1
        placements.append(placement)
    return placements, boxes, overlapping


def _best_position(point, size, half, gap, pad, area, placed, others):
    """(cost, Placement, box) of the first free candidate position, else of the least overlapping one."""
    px, py = point
    w, h = size
    best = None
    for ring_no, ring in enumerate(RINGS):
        r = gap * ring + (half if ring_no == 0 else 0.0)
        for ux, uy, ha, va in DIRECTIONS:
            dx, dy = ux * r, uy * r
            box = label_box(px, py, w, h, dx, dy, ha, va)
            padded = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
            cost = overlap_area(padded, placed).sum() + overlap_area(box, others).sum() + 2.0 * outside_area(box, area)
            if cost < TOLERANCE:  # rounding, or boxes that merely touch
                return 0.0, Placement(dx, dy, ha, va, ring_no), box
            if best is None or cost < best[0]:  # equal costs: the nearer position (found first) stays
                best = (float(cost), Placement(dx, dy, ha, va, ring_no), box)
    return best
