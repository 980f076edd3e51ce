"""Plots: projections (PCA vs scikit-learn, t-SNE seeds), image files, label placement, bad input."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from test_plot_layout import pairwise_overlaps

from wvtool import ConfigError, FileError, UnknownWordError, Vectors, WvtoolWarning, plotting
from wvtool.plotting import PlotOptions, Selection, default_perplexity, plot, project
from wvtool.plotting.drawing import draw


def _files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


@pytest.fixture
def clustered():
    """Three well separated clusters of 8 words each (24 x 16), counts in frequency order."""
    rng = np.random.default_rng(1)
    centers = rng.normal(size=(3, 16)) * 4
    words, vecs = [], []
    for c, name in enumerate(("animal", "tool", "colour")):
        for j in range(8):
            words.append(f"{name}{j}")
            vecs.append(centers[c] + rng.normal(size=16) * 0.3)
    return Vectors(words, np.array(vecs), np.arange(2400, 0, -100))


# ---------------------------------------------------------------------------------
# projection
# ---------------------------------------------------------------------------------
def test_pca_equals_scikit_learn_on_the_unit_vectors(small_vectors):
    from sklearn.decomposition import PCA

    words = ["w3", "w7", "café", "w11", "w0", "über", "w20", "w31", "w44", "w5"]
    xy, info = project(small_vectors, words, method="pca")
    rows = [small_vectors.index[w] for w in words]
    unit = np.asarray(small_vectors.unit[rows], dtype=np.float64)
    expected = PCA(n_components=2).fit_transform(unit)
    assert xy.shape == (10, 2)
    np.testing.assert_allclose(xy, expected, atol=1e-5)
    # explained variance from an independent eigen-decomposition of the covariance
    cov = np.cov(unit, rowvar=False)
    eig = np.sort(np.linalg.eigvalsh(cov))[::-1]
    np.testing.assert_allclose(info["explained_variance"], eig[:2] / eig.sum(), rtol=1e-6)
    assert info["method"] == "pca" and info["words"] == words


@pytest.mark.parametrize("n, dim", [(4, 50), (30, 8), (9, 9), (3, 2)])
def test_numpy_pca_is_scikit_learns_signs_included(n, dim):
    from sklearn.decomposition import PCA

    from wvtool.plotting.projection import pca

    x = np.random.default_rng(n * dim).normal(size=(n, dim))
    model = PCA(n_components=2, svd_solver="full")
    expected = model.fit_transform(x)
    xy, ratios = pca(x)
    np.testing.assert_allclose(xy, expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ratios, model.explained_variance_ratio_, rtol=1e-9)


@pytest.mark.slow
def test_a_pca_plot_imports_neither_scikit_learn_nor_scipy(tmp_path):
    code = (
        "import sys, numpy as np, wvtool\n"
        "kv = wvtool.Vectors(['a','b','c','d'], np.random.default_rng(0).normal(size=(4, 5)))\n"
        f"wvtool.plot(kv, top=4, output={str(tmp_path / 'x.png')!r}, dpi=30)\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_pca_ignores_vector_length(small_vectors):
    words = [f"w{i}" for i in range(12)]
    base, _ = project(small_vectors, words)
    scaled = np.array(small_vectors.vectors, copy=True)
    scaled[[small_vectors.index[w] for w in words[:4]]] *= 25.0  # long vectors, same directions
    xy, _ = project(Vectors(small_vectors.words, scaled), words)
    np.testing.assert_allclose(xy, base, atol=1e-5)


def test_project_removes_duplicate_words_keeping_order(small_vectors):
    xy, info = project(small_vectors, ["w2", "w1", "w2", "w3"])
    assert info["words"] == ["w2", "w1", "w3"] and xy.shape == (3, 2)


def test_tsne_same_seed_same_coordinates_other_seed_different(clustered):
    words = list(clustered.words[:12])
    a, info = project(clustered, words, method="tsne", seed=3)
    b, _ = project(clustered, words, method="tsne", seed=3)
    c, _ = project(clustered, words, method="tsne", seed=4)
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)
    assert info["perplexity"] == default_perplexity(12) and info["seed"] == 3


def test_tsne_axes_and_title_name_the_settings(clustered):
    words = list(clustered.words[:8])
    xy, info = project(clustered, words, method="tsne", perplexity=2.5, seed=7)
    fig, _ = draw(xy, info, Selection(words, {}, [], None, []), PlotOptions(size=(5, 4), dpi=50))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "t-SNE 1" and "perplexity 2.5, seed 7" in ax.get_title()


@pytest.mark.slow
def test_tsne_keeps_clusters_apart(clustered):
    xy, _ = project(clustered, clustered.words, method="tsne", seed=0)
    labels = np.repeat(np.arange(3), 8)
    d = np.linalg.norm(xy[:, None] - xy[None], axis=-1)
    same = d[labels[:, None] == labels[None]].max()
    diff = d[labels[:, None] != labels[None]].min()
    assert diff > same  # every cross-cluster distance beats every within-cluster one


def test_default_perplexity_rule_and_six_words(clustered):
    assert default_perplexity(6) == 2.0
    assert default_perplexity(61) == 20.0
    assert default_perplexity(500) == 30.0
    for n in range(4, 200):
        assert 0 < default_perplexity(n) < n
    xy, info = project(clustered, clustered.words[:6], method="tsne")
    assert info["perplexity"] == 2.0 and xy.shape == (6, 2) and np.isfinite(xy).all()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"words": ["w1"]}, "at least two"),
        ({"words": ["w1", "w2", "w3"], "method": "tsne"}, "method='pca'"),
        ({"words": ["w1", "w2", "w3", "w4", "w5"], "method": "tsne", "perplexity": 5}, "perplexity=5 is not below the number of words"),
        ({"words": ["w1", "w2", "w3", "w4", "w5"], "method": "tsne", "perplexity": -1}, "perplexity=-1 is out of range"),
        ({"words": ["w1", "w2"], "method": "umap"}, "use method='pca' or method='tsne'"),
    ],
)
def test_project_rejects_bad_input(small_vectors, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        project(small_vectors, **kwargs)


def test_project_unknown_word_raises_with_suggestion(small_vectors):
    with pytest.raises(UnknownWordError, match="w12"):
        project(small_vectors, ["w1", "W12"])


def test_project_rejects_identical_vectors():
    kv = Vectors(["a", "b", "c"], np.tile([1.0, 2.0, 3.0], (3, 1)))
    with pytest.raises(ConfigError, match="same unit vector"):
        project(kv, ["a", "b", "c"])


# ---------------------------------------------------------------------------------
# image files
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size, dpi", [((6, 4), 50), ((4, 5), 80)])
def test_png_is_a_valid_image_of_the_requested_size(tmp_path, small_vectors, size, dpi):
    from PIL import Image

    out = tmp_path / "p.png"
    r = plot(small_vectors, top=20, output=out, size=size, dpi=dpi)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(out) as im:
        im.load()
        assert im.format == "PNG"
        assert im.size == (size[0] * dpi, size[1] * dpi)
        # a real picture, not a blank page: many distinct colours
        assert len(im.convert("RGB").getcolors(maxcolors=1 << 20)) > 20
    assert r["pixels"] == [size[0] * dpi, size[1] * dpi] and r["format"] == "png"
    assert _files(tmp_path) == ["p.png"]  # no temporary file left


def test_svg_is_xml_with_the_requested_size(tmp_path, small_vectors):
    out = tmp_path / "p.svg"
    plot(small_vectors, ["w1", "w2", "w3", "w4"], output=out, size="7x3")
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(7 * 72)
    assert float(root.get("height").removesuffix("pt")) == pytest.approx(3 * 72)


def test_the_summary_has_one_shape_whatever_was_asked(tmp_path, small_vectors):
    png = plot(small_vectors, top=10, output=tmp_path / "p.png")
    svg = plot(small_vectors, groups={"a": ["w1", "w2", "w3"], "b": ["w4", "w5"]}, output=tmp_path / "p.svg",
               method="tsne", perplexity=2)
    near = plot(small_vectors, around="w5", k=4, output=tmp_path / "n.pdf")
    assert set(png) == set(svg) == set(near)
    assert png["pixels"] and svg["pixels"] is None and near["pixels"] is None
    assert len(png["explained_variance"]) == 2 and png["perplexity"] is None
    assert svg["explained_variance"] is None and svg["perplexity"] == 2.0
    assert png["seed"] is None and svg["seed"] == 0  # PCA draws nothing: no seed to report
    assert png["groups"] is None and svg["groups"] == {"a": 3, "b": 2}
    assert png["around"] is None and near["around"] == "w5"


def test_pdf_is_a_pdf_with_the_requested_page_size(tmp_path, small_vectors):
    out = tmp_path / "p.pdf"
    plot(small_vectors, top=10, output=out, size=(5, 4))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and (float(box.group(1)), float(box.group(2))) == (360.0, 288.0)


def test_extension_is_case_insensitive(tmp_path, small_vectors):
    from PIL import Image

    out = tmp_path / "P.PNG"
    plot(small_vectors, top=5, output=out, size=(3, 2), dpi=40)
    with Image.open(out) as im:
        assert im.format == "PNG" and im.size == (120, 80)


def test_svg_output_is_deterministic(tmp_path, small_vectors):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    plot(small_vectors, top=8, output=a)
    plot(small_vectors, top=8, output=b)
    assert a.read_bytes() == b.read_bytes()


def test_csv_has_the_projected_coordinates(tmp_path, clustered):
    out, coords = tmp_path / "p.png", tmp_path / "p.csv"
    words = ["animal0", "animal1", "tool3"]
    r = plot(clustered, words, groups={"colours": ["colour1", "colour2"]}, output=out, csv=coords, dpi=30)
    with open(coords, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [row["word"] for row in rows] == words + ["colour1", "colour2"]
    xy, _ = project(clustered, words + ["colour1", "colour2"])
    np.testing.assert_array_equal(np.array([[float(row["x"]), float(row["y"])] for row in rows]), xy)
    assert [row["group"] for row in rows] == ["", "", "", "colours", "colours"]
    assert r["csv"] == str(coords) and r["groups"] == {"colours": 2}


@pytest.mark.slow
def test_plot_never_uses_pyplot_and_works_without_a_display(tmp_path):
    code = (
        "import sys, numpy as np, wvtool\n"
        "kv = wvtool.Vectors(['a','b','c','d'], np.random.default_rng(0).normal(size=(4, 5)))\n"
        f"wvtool.plot(kv, top=4, output={str(tmp_path / 'x.png')!r})\n"
        "print('pyplot' if 'matplotlib.pyplot' in sys.modules else 'ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND", "WAYLAND_DISPLAY")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
    assert (tmp_path / "x.png").stat().st_size > 1000


def test_missing_glyphs_become_one_wvtool_warning(tmp_path, small_vectors):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plot(small_vectors, ["日本", "café", "w1"], output=tmp_path / "p.png", dpi=30)
    leaked = [w for w in caught if not issubclass(w.category, WvtoolWarning) and "Glyph" in str(w.message)]
    assert leaked == []  # matplotlib's per-glyph warnings do not leak out
    assert sum("glyph" in str(w.message) for w in caught) <= 1


# ---------------------------------------------------------------------------------
# selections
# ---------------------------------------------------------------------------------
def test_top_uses_counts_when_present(tmp_path):
    rng = np.random.default_rng(0)
    kv = Vectors(["a", "b", "c", "d", "e"], rng.normal(size=(5, 4)), [5, 50, 1, 40, 30])
    out = tmp_path / "t.png"
    plot(kv, top=3, output=out, csv=tmp_path / "t.csv", dpi=30)
    assert [row["word"] for row in csv.DictReader(open(tmp_path / "t.csv", encoding="utf-8"))] == ["b", "d", "e"]
    kv_nocounts = Vectors(["a", "b", "c", "d", "e"], rng.normal(size=(5, 4)))
    plot(kv_nocounts, top=3, output=out, csv=tmp_path / "t.csv", dpi=30)
    assert [row["word"] for row in csv.DictReader(open(tmp_path / "t.csv", encoding="utf-8"))] == ["a", "b", "c"]


def test_around_plots_the_word_and_its_cosine_neighbours(tmp_path, small_vectors):
    r = plot(small_vectors, around="w5", k=6, output=tmp_path / "a.png", csv=tmp_path / "a.csv", dpi=30)
    rows = list(csv.DictReader(open(tmp_path / "a.csv", encoding="utf-8")))
    unit = np.asarray(small_vectors.unit, dtype=np.float64)
    sims = unit @ unit[small_vectors.index["w5"]]
    sims[small_vectors.index["w5"]] = -2
    brute = [small_vectors.words[i] for i in np.argsort(-sims)[:6]]
    assert [row["word"] for row in rows] == ["w5", *brute]
    assert rows[0]["group"] == "center" and r["around"] == "w5" and r["n_words"] == 7


def test_unknown_words_are_skipped_with_a_warning_naming_them(tmp_path, small_vectors):
    with pytest.warns(WvtoolWarning, match=r"2 words.*'nope'.*'ww3'") as rec:
        r = plot(small_vectors, ["w1", "nope", "w2", "ww3"], output=tmp_path / "p.png", dpi=30)
    assert r["skipped"] == ["nope", "ww3"] and r["n_words"] == 2 and r["used"] == {}
    assert any("did you mean 'w3'" in str(w.message) for w in rec)


def test_words_found_only_in_lower_case_are_plotted_in_that_form(tmp_path, small_vectors):
    r = plot(small_vectors, ["w1", "W3", "w3", "ÜBER"], groups={"g": ["W7", "w8"]}, output=tmp_path / "p.png",
             csv=tmp_path / "p.csv", dpi=30)
    assert r["used"] == {"W3": "w3", "ÜBER": "über", "W7": "w7"} and r["skipped"] == []
    rows = list(csv.DictReader(open(tmp_path / "p.csv", encoding="utf-8")))
    assert [row["word"] for row in rows] == ["w1", "w3", "über", "w7", "w8"]  # W3 and w3 are one point
    assert [row["group"] for row in rows] == ["", "", "", "g", "g"]
    r = plot(small_vectors, around="W5", k=3, output=tmp_path / "a.png", dpi=30)
    assert r["around"] == "w5" and r["used"] == {"W5": "w5"} and r["n_words"] == 4
    with pytest.raises(UnknownWordError, match="'Nope5'"):  # the error names the word as given
        plot(small_vectors, around="Nope5", output=tmp_path / "a.png", dpi=30)


def test_groups_combine_with_words_and_top(tmp_path, clustered):
    r = plot(clustered, ["tool0", "tool1"], groups=["animals=animal0,animal1,animal2", "colours=colour0"], output=tmp_path / "g.png", dpi=30)
    assert r["n_words"] == 6 and r["groups"] == {"animals": 3, "colours": 1}
    r = plot(clustered, top=4, groups={"tools": ["tool5", "animal0"]}, output=tmp_path / "g.png", dpi=30)
    assert r["n_words"] == 5  # animal0 is already among the top 4; tool5 is added
    r = plot(clustered, groups={"a": ["animal0", "animal1"], "t": ["tool0", "tool1"]}, output=tmp_path / "g.png", dpi=30)
    assert r["n_words"] == 4


def test_group_without_known_words_is_dropped_with_a_warning(tmp_path, clustered):
    with pytest.warns(WvtoolWarning) as rec:
        r = plot(clustered, ["tool0", "tool1"], groups={"ghosts": ["boo", "spook"]}, output=tmp_path / "g.png", dpi=30)
    messages = [str(w.message) for w in rec]
    assert len(messages) == 2
    assert messages[0].startswith("skipping 2 words") and messages[1].startswith("group 'ghosts' has none")
    assert r["groups"] is None and r["skipped"] == ["boo", "spook"]


# ---------------------------------------------------------------------------------
# label placement
# ---------------------------------------------------------------------------------
def test_drawn_labels_match_the_planned_boxes_and_do_not_overlap(small_vectors):
    """The rendered text extents are where place_labels planned them (so the planning is about the real picture)."""
    words = list(small_vectors.words[:30])
    xy, info = project(small_vectors, words)
    fig, labels = draw(xy, info, Selection(words, {}, [], None, []), PlotOptions(size=(8, 6), dpi=100))
    assert labels == (30, 0, 0)  # every label fits: none dropped, none overlapping
    overlapping = labels.overlapping
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    ev = info["explained_variance"]
    assert ax.get_xlabel() == f"PC1 ({ev[0]:.1%} of variance)" and ax.get_ylabel() == f"PC2 ({ev[1]:.1%} of variance)"
    texts = [t for t in ax.texts if t.get_text() in set(words)]
    assert sorted(t.get_text() for t in texts) == sorted(words)
    boxes = np.array([[*t.get_window_extent(renderer).p0, *t.get_window_extent(renderer).p1] for t in texts])
    assert pairwise_overlaps(boxes, tol=1.0) == overlapping == 0
    # labels sit next to their own point (within a few label heights)
    pts = ax.transData.transform(xy)
    for t, box in zip(texts, boxes, strict=True):
        px, py = pts[words.index(t.get_text())]
        cx = min(max(px, box[0]), box[2])
        cy = min(max(py, box[1]), box[3])
        assert np.hypot(px - cx, py - cy) < 8 * (box[3] - box[1])


@pytest.mark.slow
def test_only_labels_that_fit_are_drawn_and_the_rest_are_reported(tmp_path):
    rng = np.random.default_rng(5)
    kv = Vectors([f"word{i:03d}" for i in range(120)], rng.normal(size=(120, 12)))
    with pytest.warns(WvtoolWarning, match=r"labelled \d+ of 120 words: the other \d+ labels did not fit; plot fewer words") as rec:
        r = plot(kv, top=120, output=tmp_path / "p.png", size=(3, 2.5), dpi=40)
    assert len(rec) == 1
    assert r["labels"] == "fit" and r["labels_overlapping"] == 0
    assert r["labelled"] + r["labels_dropped"] == 120 and 0 < r["labelled"] < 120
    xy, info = project(kv, kv.words)
    fig, labels = draw(xy, info, Selection(list(kv.words), {}, [], None, []), PlotOptions(size=(3, 2.5), dpi=40))
    ax = fig.axes[0]
    drawn = [t.get_text() for t in ax.texts]
    assert len(drawn) == labels.labelled == r["labelled"]
    assert drawn[0] == "word000" and drawn == sorted(drawn)  # placed in frequency order, the most frequent first
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # the text alone (an annotation's own extent includes its leader line)
    extents = [Text.get_window_extent(t, renderer) for t in ax.texts]
    assert pairwise_overlaps(np.array([[*e.p0, *e.p1] for e in extents]), tol=1.0) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        every = plot(kv, top=120, output=tmp_path / "p.png", size=(3, 2.5), dpi=40, labels="all")
        bare = plot(kv, top=120, output=tmp_path / "p.png", size=(3, 2.5), dpi=40, labels="none")
    assert (every["labelled"], every["labels_dropped"]) == (120, 0) and every["labels_overlapping"] > 0
    assert (bare["labelled"], bare["labels_overlapping"], bare["labels_dropped"]) == (0, 0, 0)
    fig, labels = draw(xy, info, Selection(list(kv.words), {}, [], None, []), PlotOptions(size=(3, 2.5), dpi=40, labels="none"))
    assert len(fig.axes[0].texts) == 0 and labels == (0, 0, 0)


# ---------------------------------------------------------------------------------
# bad input: one-line errors, no file written
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"words": ["w1", "w2"], "top": 5}, ConfigError, "choose one of"),
        ({"top": 5, "around": "w1"}, ConfigError, "choose one of"),
        ({"words": ["w1"], "around": "w1"}, ConfigError, "choose one of"),
        ({}, ConfigError, "top=100"),
        ({"words": ["w1", "nope1", "nope2"]}, ConfigError, "at least two words"),
        ({"words": ["nope1", "nope2"]}, ConfigError, "at least two words"),
        ({"words": ["w1", "w2", "w3"], "method": "tsne"}, ConfigError, "method='pca'"),
        ({"words": ["w1", "w2", "w3", "w4"], "method": "tsne", "perplexity": 4}, ConfigError, "perplexity"),
        ({"top": 1}, ConfigError, "top=1 is out of range; use 2 or more"),
        ({"around": "w1", "k": 0}, ConfigError, "k=0 is out of range"),
        ({"around": "nope"}, UnknownWordError, "nope"),
        ({"top": 5, "method": "mds"}, ConfigError, "method='mds'"),
        ({"top": 5, "size": "10"}, ConfigError, "WIDTHxHEIGHT"),
        ({"top": 5, "size": "0x5"}, ConfigError, "positive"),
        ({"top": 5, "size": (200, 100)}, ConfigError, "pixels"),
        ({"top": 5, "dpi": 0}, ConfigError, "dpi=0"),
        ({"top": 5, "seed": -1}, ConfigError, "seed=-1"),
        ({"top": 5, "title": 3}, ConfigError, "title=3"),
        ({"top": 5, "colour": "red"}, ConfigError, "unknown setting"),
        ({"top": 5, "labels": "some"}, ConfigError, "labels='some' is not one of fit, all, none"),
        ({"top": 5, "progress": 5}, ConfigError, r"progress must be a callable progress\(done, total, info\)"),
        ({"groups": ["animals"]}, ConfigError, "NAME=word1"),
        ({"groups": ["=a,b"]}, ConfigError, "NAME=word1"),
        ({"groups": ["empty="]}, ConfigError, "no words"),
        ({"groups": ["g=w1,w2", "g=w3"]}, ConfigError, "twice"),
        ({"groups": {"a": ["w1", "w2"], "b": ["w2", "w3"]}}, ConfigError, "in groups 'a' and 'b'"),
        ({"groups": {"a": []}}, ConfigError, "at least one word"),
    ],
)
def test_bad_selection_or_options_raise_one_line_errors_and_write_nothing(tmp_path, small_vectors, kwargs, error, match):
    out = tmp_path / "p.png"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WvtoolWarning)
        with pytest.raises(error, match=match) as exc:
            plot(small_vectors, output=out, csv=tmp_path / "p.csv", **kwargs)
    assert "\n" not in str(exc.value)
    assert _files(tmp_path) == []


@pytest.mark.parametrize("name", ["p.jpg", "p", "p.png.gz", "p.eps"])
def test_unknown_image_extension_lists_the_allowed_ones(tmp_path, small_vectors, name):
    with pytest.raises(ConfigError, match=r"\.png, \.svg, \.pdf"):
        plot(small_vectors, top=5, output=tmp_path / name)
    assert _files(tmp_path) == []


def test_unwritable_outputs_are_file_errors(tmp_path, small_vectors):
    with pytest.raises(FileError, match="does not exist"):
        plot(small_vectors, top=5, output=tmp_path / "missing" / "p.png")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(FileError, match="is a directory"):
        plot(small_vectors, top=5, output=tmp_path / "dir.png")
    with pytest.raises(FileError, match="does not exist"):
        plot(small_vectors, top=5, output=tmp_path / "p.png", csv=tmp_path / "missing" / "p.csv")
    with pytest.raises(ConfigError, match="same file"):
        plot(small_vectors, top=5, output=tmp_path / "p.png", csv=tmp_path / "p.png")
    assert _files(tmp_path) == ["dir.png"]


def test_output_cannot_overwrite_the_input_vectors(tmp_path, small_vectors):
    src = tmp_path / "vectors.png"  # odd name, but the input must never be clobbered
    src.write_bytes(b"precious")
    kv = Vectors(small_vectors.words, small_vectors.vectors, source=str(src))
    with pytest.raises(FileError, match="same as the input"):
        plot(kv, top=5, output=src)
    assert src.read_bytes() == b"precious"


def test_a_failure_while_writing_leaves_no_partial_files(tmp_path, small_vectors, monkeypatch):
    (tmp_path / "p.png").write_bytes(b"old picture")

    def broken(tmp, final, *args):
        Path(tmp).write_text("word,x,y\nw1,")
        raise OSError("disk full")

    monkeypatch.setattr(plotting, "_write_csv", broken)
    with pytest.raises(FileError, match="p.csv: cannot write the output .disk full."):
        plot(small_vectors, top=5, output=tmp_path / "p.png", csv=tmp_path / "p.csv")
    assert _files(tmp_path) == ["p.png"]
    assert (tmp_path / "p.png").read_bytes() == b"old picture"


# ---------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------
@pytest.fixture
def vec_file(tmp_path, clustered):
    """The clustered table as a word2vec text file (written by hand: no dependency on wvtool.formats.save)."""
    p = tmp_path / "vectors.txt"
    lines = [f"{len(clustered)} {clustered.dim}"]
    lines += [w + " " + " ".join(repr(float(x)) for x in v) for w, v in zip(clustered.words, clustered.vectors, strict=True)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_cli_writes_the_image_and_csv(run_cli, tmp_path, vec_file):
    pytest.importorskip("wvtool.formats")
    from PIL import Image

    out = tmp_path / "cli.png"
    code, stdout, err = run_cli("plot", vec_file, "--top", 10, "-o", out, "--size", "4x3", "--dpi", 50, "--csv", tmp_path / "c.csv")
    assert code == 0, err
    assert "wrote" in stdout and "10 words" in stdout and "PC1" in stdout
    with Image.open(out) as im:
        assert im.size == (200, 150)
    assert len(list(csv.DictReader(open(tmp_path / "c.csv", encoding="utf-8")))) == 10


def test_cli_json_tsne_groups_and_warning(run_cli, tmp_path, vec_file):
    pytest.importorskip("wvtool.formats")
    import json

    out = tmp_path / "cli.svg"
    code, stdout, err = run_cli(
        "plot", vec_file, "tool0", "tool1", "nope", "--group", "animals=animal0,animal1,animal2", "--method", "tsne", "--seed", 2, "-o", out, "--json"
    )
    assert code == 0, err
    r = json.loads(stdout)
    assert r["method"] == "tsne" and r["n_words"] == 5 and r["perplexity"] == default_perplexity(5)
    assert r["groups"] == {"animals": 3} and r["skipped"] == ["nope"]
    assert err.count("\n") == 1 and "warning" in err and "'nope'" in err


@pytest.mark.parametrize(
    "args, match",
    [
        (["--top", "5", "-o", "{d}/p.jpg"], "is not an image format"),
        (["--top", "5", "-o", "{d}/plot"], "has no extension to tell the image format; end the name with .png"),
        (["w1", "--top", "5", "-o", "{d}/p.png"], "choose one of"),
        (["--top", "5", "--around", "tool0", "-o", "{d}/p.png"], "choose one of"),
        (["-o", "{d}/p.png"], "--top 100"),
        (["--group", "animals", "-o", "{d}/p.png"], "NAME=word1"),
        (["--top", "5", "-o", "{d}/missing/p.png"], "does not exist"),
        (["tool0", "nope", "-o", "{d}/p.png"], "at least two words"),
        (["tool0", "tool1", "tool2", "--method", "tsne", "-o", "{d}/p.png"], "--method pca"),
        (["--top", "5", "--size", "big", "-o", "{d}/p.png"], "--size big: expected WIDTHxHEIGHT"),
        (["--top", "5", "--dpi", "5", "-o", "{d}/p.png"], "--dpi 5 is out of range"),
        (["--group", "a=w", "--group", "a=v", "-o", "{d}/p.png"], "given twice in --group"),
        (["tool0", "--top", "5", "-o", "{d}/p.png"], "words and --top conflict"),
    ],
)
def test_cli_bad_input_is_one_line_exit_1_and_no_file(run_cli, tmp_path, vec_file, args, match):
    pytest.importorskip("wvtool.formats")
    outdir = tmp_path / "out"
    outdir.mkdir()
    code, stdout, err = run_cli("plot", vec_file, *[a.format(d=outdir) for a in args])
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("wvtool: error:")]
    assert len(lines) == 1 and match in lines[0], err
    assert "Traceback" not in err
    assert list(outdir.iterdir()) == []


def test_a_path_is_loaded_after_every_check_with_the_load_options(tmp_path, vec_file, monkeypatch):
    import wvtool.formats
    from wvtool.formats import LoadOptions

    seen = []
    real_load = wvtool.formats.load

    def load(path, *args, **kwargs):
        seen.append((str(path), kwargs.get("options")))
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(wvtool.formats, "load", load)
    for bad in ({"top": 1}, {"top": 5, "dpi": 0}, {"top": 5, "output": tmp_path / "p.gif"}, {"top": 5, "csv": tmp_path / "no" / "c.csv"}):
        with pytest.raises((ConfigError, FileError)):
            plot(vec_file, **{"output": tmp_path / "p.png", **bad})
    assert seen == []
    calls = []
    r = plot(vec_file, top=6, output=tmp_path / "p.png", dpi=30, load_options=LoadOptions(limit=6),
             progress=lambda done, total, info: calls.append(done))
    assert seen == [(str(vec_file), LoadOptions(limit=6))] and r["n_words"] == 6 and calls


def test_cli_labels_setting(run_cli, tmp_path, vec_file):
    import json

    code, stdout, err = run_cli("plot", vec_file, "--top", 24, "--labels", "none", "-o", tmp_path / "n.png", "--dpi", 30, "--json")
    assert code == 0, err
    r = json.loads(stdout)
    assert (r["labels"], r["labelled"], r["labels_dropped"]) == ("none", 0, 0) and err == ""
    code, stdout, err = run_cli("plot", vec_file, "--top", 24, "-o", tmp_path / "f.png", "--size", "2x2", "--dpi", 30, "--json")
    assert code == 0, err
    r = json.loads(stdout)
    assert r["labels"] == "fit" and r["labels_dropped"] > 0 and r["labelled"] + r["labels_dropped"] == 24
    assert err.count("\n") == 1 and f"labelled {r['labelled']} of 24 words" in err
    code, _, err = run_cli("plot", vec_file, "--top", 5, "--labels", "some", "-o", tmp_path / "s.png")
    assert code == 2 and "fit, all, none" in err
