"""Plot settings, word selection and label placement: no matplotlib or scikit-learn needed (nor imported)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from wvtool import ConfigError, UnknownWordError, Vectors, WvtoolWarning
from wvtool.plotting import PlotOptions, parse_group, parse_groups, parse_size, place_labels
from wvtool.plotting.labels import DIRECTIONS, RINGS, Placement, label_box, overlap_area
from wvtool.plotting.selection import check_request, select


def pairwise_overlaps(boxes: np.ndarray, tol: float = 0.0) -> int:
    """How many pairs of (x0, y0, x1, y1) boxes overlap by more than ``tol`` in both directions (brute force)."""
    n = 0
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            if min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol:
                n += 1
    return n


# ---------------------------------------------------------------------------------
# label placement
# ---------------------------------------------------------------------------------
def test_label_placement_avoids_overlaps_that_naive_labels_have():
    # a row of points closer together than a label is wide: labels all to the right would collide
    points = np.array([[100.0 + 30 * i, 300.0] for i in range(8)])
    sizes = np.tile([60.0, 12.0], (8, 1))
    naive = np.array([label_box(x, y, w, h, 6, 0, "left", "center") for (x, y), (w, h) in zip(points, sizes, strict=True)])
    assert pairwise_overlaps(naive) > 0
    placements, boxes, overlapping = place_labels(points, sizes, (0, 0, 800, 600), gap=6.0, marker=6.0)
    assert overlapping == 0 and pairwise_overlaps(boxes) == 0
    # no label covers any point's marker either
    for (x, y) in points:
        covered = (boxes[:, 0] < x + 3) & (boxes[:, 2] > x - 3) & (boxes[:, 1] < y + 3) & (boxes[:, 3] > y - 3)
        assert not covered.any()
    # deterministic
    again = place_labels(points, sizes, (0, 0, 800, 600), gap=6.0, marker=6.0)
    assert again[0] == placements


def test_label_placement_keeps_labels_inside_the_area():
    points = np.array([[795.0, 300.0], [5.0, 595.0]])
    sizes = np.tile([80.0, 12.0], (2, 1))
    _, boxes, overlapping = place_labels(points, sizes, (0, 0, 800, 600), gap=4.0, marker=6.0)
    assert overlapping == 0
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 2] <= 800).all() and (boxes[:, 3] <= 600).all()


def test_a_lone_label_sits_right_of_its_point_just_past_the_marker():
    placements, boxes, overlapping = place_labels(np.array([[400.0, 300.0]]), np.array([[50.0, 10.0]]), (0, 0, 800, 600),
                                                  gap=4.0, marker=6.0)
    assert placements == [Placement(7.0, 0.0, "left", "center", 0)]  # gap + half the marker
    assert np.array_equal(boxes[0], [407.0, 295.0, 457.0, 305.0]) and overlapping == 0
    assert not placements[0].leader


def test_boxes_are_where_the_placements_say_and_free_ones_do_not_overlap():
    rng = np.random.default_rng(4)
    points = rng.uniform(50, 550, size=(40, 2))
    sizes = np.column_stack([rng.uniform(20, 70, 40), np.full(40, 11.0)])
    placements, boxes, overlapping = place_labels(points, sizes, (0, 0, 600, 600), gap=4.0, marker=6.0, pad=2.0)
    for (px, py), (w, h), p, box in zip(points, sizes, placements, boxes, strict=True):
        assert np.allclose(label_box(px, py, w, h, p.dx, p.dy, p.ha, p.va), box)
        assert (p.dx, p.dy, p.ha, p.va) in {(ux * r, uy * r, ha, va) for ux, uy, ha, va in DIRECTIONS
                                            for r in [4.0 * ring + (3.0 if i == 0 else 0.0) for i, ring in enumerate(RINGS)]}
    # labels that found a free place overlap no other label (beyond touching)
    costs = [sum(overlap_area(boxes[i], np.delete(boxes, i, axis=0))) for i in range(40)]
    clear = [i for i in range(40) if costs[i] < 1.0]
    assert len(clear) >= 40 - 2 * overlapping
    assert pairwise_overlaps(boxes[clear], tol=1.0) == 0


def test_labels_that_cannot_fit_are_counted():
    # ten points on one spot, labels as wide as the area: at most a few can avoid each other
    points = np.tile([100.0, 100.0], (10, 1))
    sizes = np.tile([190.0, 40.0], (10, 1))
    _, boxes, overlapping = place_labels(points, sizes, (0, 0, 200, 200), gap=2.0, marker=4.0)
    assert overlapping >= 6
    assert pairwise_overlaps(boxes, tol=1.0) >= overlapping


def test_dropping_labels_that_do_not_fit():
    points = np.tile([100.0, 100.0], (10, 1))
    sizes = np.tile([190.0, 40.0], (10, 1))
    placements, boxes, dropped = place_labels(points, sizes, (0, 0, 200, 200), gap=2.0, marker=4.0, drop=True)
    kept = [i for i, p in enumerate(placements) if p is not None]
    assert kept[0] == 0 and 0 < len(kept) < 10 and dropped == 10 - len(kept)
    assert np.isnan(boxes[[i for i in range(10) if i not in kept]]).all()
    assert pairwise_overlaps(boxes[kept], tol=1.0) == 0
    # the labels kept are placed as without dropping, up to the first one that would overlap
    all_placements, _, _ = place_labels(points, sizes, (0, 0, 200, 200), gap=2.0, marker=4.0)
    first_dropped = next(i for i, p in enumerate(placements) if p is None)
    assert placements[:first_dropped] == all_placements[:first_dropped]


# ---------------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------------
def test_plot_options_normalise_and_default():
    o = PlotOptions(method="t-SNE", size="6x4.5", perplexity=3)
    assert (o.method, o.size, o.inches, o.perplexity, o.dpi, o.k, o.seed) == ("tsne", "6x4.5", (6.0, 4.5), 3.0, 150, 20, 0)
    assert PlotOptions(size=[7, 5]).size == "7x5" and PlotOptions().pixels == (1500, 1200)
    assert PlotOptions(size=(3.123456789, 4)).inches == (3.123456789, 4.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.method = "pca"  # type: ignore[misc]


@pytest.mark.parametrize(
    "settings, match",
    [
        ({"method": "umap"}, "method='umap' is not a projection"),
        ({"perplexity": 0}, "perplexity=0 is out of range"),
        ({"perplexity": float("nan")}, "perplexity=nan must be a number"),
        ({"seed": 2**32}, "seed=4294967296 is out of range"),
        ({"seed": 1.5}, "seed=1.5 must be a whole number"),
        ({"dpi": 5}, "dpi=5 is out of range; use 10 to 1200"),
        ({"k": 0}, "k=0 is out of range"),
        ({"size": "10"}, "size='10': expected WIDTHxHEIGHT"),
        ({"size": (1, 5)}, "size='1x5' is too small"),
        ({"size": (-3, 5)}, "must be positive"),
        ({"size": "200x10"}, r"size='200x10' at dpi=150 is over 20,000 pixels"),
        ({"title": ["a"]}, "title=\\['a'\\] must be text"),
    ],
)
def test_plot_options_name_the_parameter(settings, match):
    with pytest.raises(ConfigError, match=match) as e:
        PlotOptions(**settings)
    assert "--" not in str(e.value)
    # the CLI renders the same template with its flags
    assert "--" in e.value.render(lambda name: "--" + name)


def test_size_and_group_parsers():
    assert parse_size("10x8") == parse_size(" 10 X 8 ") == parse_size((10, 8)) == (10.0, 8.0)
    assert parse_group(" animals = cat, dog ,,horse") == ("animals", ["cat", "dog", "horse"])
    assert parse_groups(["a=x", "b=y,z"]) == {"a": ["x"], "b": ["y", "z"]}
    with pytest.raises(ConfigError, match="twice") as e:
        parse_groups(["a=x", "a=y"])
    assert e.value.render({"groups": "--group"}.get).endswith("in --group; give each group once, listing all its words")


# ---------------------------------------------------------------------------------
# selection
# ---------------------------------------------------------------------------------
@pytest.fixture
def table():
    rng = np.random.default_rng(2)
    return Vectors([f"w{i}" for i in range(10)], rng.normal(size=(10, 4)), np.arange(10, 0, -1) * [1, 1, 1, 1, 1, 1, 1, 1, 1, 20])


def test_selection_resolves_top_around_and_groups(table):
    chosen = select(table, check_request(None, 3, None, {"g": ["w5", "w0"]}), k=2)
    assert chosen.words == ["w9", "w0", "w1", "w5"]  # by counts: w9 is the most frequent
    assert chosen.group_of == {"w5": "g", "w0": "g"} and chosen.groups == ["g"] and chosen.center is None
    chosen = select(table, check_request(None, None, "w3", None), k=4)
    unit = table.unit.astype(np.float64)
    sims = unit @ unit[3]
    sims[3] = -2
    assert chosen.words == ["w3", *[f"w{i}" for i in np.argsort(-sims)[:4]]] and chosen.center == "w3"


def test_selection_skips_unknown_words_and_empty_groups(table):
    with pytest.warns(WvtoolWarning) as rec:
        chosen = select(table, check_request(["w1", "x1"], None, None, ["ghost=x2,x3", "real=w2"]), k=5)
    assert chosen.words == ["w1", "w2"] and chosen.skipped == ["x1", "x2", "x3"] and chosen.groups == ["real"]
    assert [str(w.message)[:24] for w in rec] == ["skipping 3 words not in ", "group 'ghost' has none o"]
    with pytest.warns(WvtoolWarning, match="the table has 10"):
        assert len(select(table, check_request(None, 50, None, None), k=5).words) == 10
    with pytest.raises(UnknownWordError):
        select(table, check_request(None, None, "x9", None), k=5)


@pytest.mark.parametrize(
    "args, match",
    [
        ((["w1"], 5, None, None), "words and top conflict"),
        ((None, 5, "w1", None), "top and around conflict"),
        ((None, None, None, None), "nothing to plot"),
        ((None, 1, None, None), "top=1 is out of range"),
        ((None, True, None, None), "top=True must be a whole number"),
        ((None, None, 3, None), "around=3 must be a word"),
        ((None, None, None, {"a": ["x"], "b": ["x"]}), "'x' is in groups 'a' and 'b'"),
    ],
)
def test_selection_checks(args, match):
    with pytest.raises(ConfigError, match=match):
        check_request(*args)


@pytest.mark.slow
def test_nothing_here_imports_matplotlib_or_scikit_learn():
    code = (
        "import sys, numpy as np\n"
        "from wvtool.plotting import PlotOptions, place_labels\n"
        "from wvtool.plotting.selection import check_request\n"
        "PlotOptions(method='tsne', size='4x3'); check_request(None, 5, None, ['a=b'])\n"
        "place_labels(np.zeros((3, 2)), np.ones((3, 2)), (0, 0, 10, 10), gap=1.0, marker=1.0)\n"
        "print(sorted(m for m in ('matplotlib', 'sklearn', 'scipy') if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
