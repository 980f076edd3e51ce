"""Benchmark files as distributed: word-pair layouts (MEN, RW, SimVerb-3500, MTurk CSV, SimLex-999), non-finite
scores, explicit columns, analogy files without section headers; pair scores cross-checked against gensim."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from gensim_tables import gensim_table

from wvtool import ConfigError, FormatError, Vectors, WvtoolWarning
from wvtool.benchmark_files import read_analogies, read_pairs
from wvtool.evaluation import evaluate, evaluate_analogies, evaluate_pairs, score_pairs_file, shipped

# (word1, word2, score) triples with some repeated scores; the extra columns below are decoys
PAIRS = [("love", "sex", 6.77), ("book", "paper", 7.46), ("money", "wealth", 8.27), ("day", "summer", 3.94),
         ("life", "death", 7.88), ("drink", "ear", 1.31), ("man", "woman", 8.3), ("street", "place", 6.44),
         ("tiger", "cat", 7.35), ("drink", "mother", 2.65), ("news", "report", 8.16), ("game", "round", 5.97)]


def _write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return p


def _shapes(tmp_path):
    """The same pairs written in the layouts of MEN, RW, SimVerb-3500, MTurk and the original SimLex-999."""
    men = [f"{a} {b} {s * 5:.6f}" for a, b, s in PAIRS]  # MEN natural form, scores 0-50
    rw = ["\t".join([a, b, f"{s:.2f}", *[str((i * 7 + j) % 10) for j in range(10)]]) for i, (a, b, s) in enumerate(PAIRS)]
    simverb = [f"{a}\t{b}\tV\t{s}\t{'SYNONYMS' if s > 5 else 'NONE'}" for a, b, s in PAIRS]
    mturk = [f"{a},{b},{s}" for a, b, s in PAIRS]
    simlex = ["word1\tword2\tPOS\tSimLex999\tconc(w1)\tconc(w2)\tconcQ\tAssoc(USF)\tSimAssoc333\tSD(SimLex)"]
    simlex += [f"{a}\t{b}\tN\t{s}\t4.1\t3.2\t2\t0.5\t1\t{0.3 + i / 10:.2f}" for i, (a, b, s) in enumerate(PAIRS)]
    return {
        "men": (_write(tmp_path, "men.txt", men), [1, 2, 3], 5.0),
        "rw": (_write(tmp_path, "rw.txt", rw), [1, 2, 3], 1.0),
        "simverb": (_write(tmp_path, "simverb.txt", simverb), [1, 2, 4], 1.0),
        "mturk": (_write(tmp_path, "mturk.csv", mturk), [1, 2, 3], 1.0),
        "simlex": (_write(tmp_path, "simlex.txt", simlex), [1, 2, 4], 1.0),
    }


@pytest.mark.parametrize("shape", ["men", "rw", "simverb", "mturk", "simlex"])
def test_pair_layouts_are_read_with_the_right_columns(tmp_path, shape):
    path, columns, scale = _shapes(tmp_path)[shape]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        items, invalid, used = read_pairs(path)
    assert list(used) == columns
    assert items == [(a, b, pytest.approx(s * scale)) for a, b, s in PAIRS]
    # only the SimLex header line is skipped, with a warning naming it
    assert invalid == (1 if shape == "simlex" else 0)
    assert [str(w.message) for w in caught] == ([f"{path}: skipped 1 line(s) without two words and a score in the "
                                                 "expected columns (line 1)"] if shape == "simlex" else [])


@pytest.mark.parametrize("shape", ["rw", "simverb", "mturk"])
def test_pair_layouts_score_like_gensim_on_the_three_column_file(tmp_path, shape):
    kv, vec = gensim_table()
    path, _, _ = _shapes(tmp_path)[shape]
    plain = _write(tmp_path, "plain.tsv", [f"{a}\t{b}\t{s}" for a, b, s in PAIRS])
    g_pearson, g_spearman, g_oov = kv.evaluate_word_pairs(str(plain), restrict_vocab=len(kv), case_insensitive=True)
    ours = evaluate_pairs(vec, path, restrict=None)
    assert ours["pairs_used"] + ours["skipped"] == len(PAIRS) and ours["pairs_used"] >= 10
    assert ours["spearman"] == pytest.approx(g_spearman[0], abs=1e-4)
    assert ours["pearson"] == pytest.approx(g_pearson[0], abs=1e-4)
    assert ours["oov_percent"] == pytest.approx(g_oov, abs=1e-4)


def test_columns_setting_and_ambiguous_layouts(tmp_path):
    # an id column first: the reader cannot tell where the words are
    path = _write(tmp_path, "ids.tsv", [f"{i}\t{a}\t{b}\t{s}\t{s / 2}" for i, (a, b, s) in enumerate(PAIRS)])
    with pytest.raises(FormatError, match=r"ids.tsv: cannot tell which of its 5 columns .*columns='1,2,3'") as e:
        read_pairs(path)
    assert "--columns 1,2,3" in e.value.render({"columns": "--columns"}.get)
    items, invalid, used = read_pairs(path, "2,3,4")
    assert items == [(a, b, s) for a, b, s in PAIRS] and invalid == 0 and used == (2, 3, 4)
    assert read_pairs(path, (2, 3, 5)).items[0] == ("love", "sex", 6.77 / 2)
    assert read_pairs(path, "3, 2").items[0] == ("sex", "love", None)  # no score column: pairs only
    _, vec = gensim_table()
    a = evaluate_pairs(vec, path, columns="2,3,4")
    b = evaluate_pairs(vec, _write(tmp_path, "plain.tsv", [f"{x}\t{y}\t{s}" for x, y, s in PAIRS]))
    assert (a["spearman"], a["pairs_used"], a["columns"]) == (b["spearman"], b["pairs_used"], [2, 3, 4])
    for bad in ("1", "1,1,2", "0,1,2", "a,b,c", "1,2,3,4"):
        with pytest.raises(ConfigError, match="columns="):
            evaluate_pairs(vec, path, columns=bad)
    # a column past the end of every line: no pair at all, an error naming the first line
    with pytest.raises(FormatError, match=r"ids.tsv, line 1: no word pair .*columns 2, 3, 9 \(12 line\(s\) skipped"):
        read_pairs(path, "2,3,9")


def test_nan_and_inf_scores_are_skipped_with_a_warning_naming_the_lines(tmp_path):
    _, vec = gensim_table()
    clean = [f"{a}\t{b}\t{s}" for a, b, s in PAIRS]
    dirty = clean[:2] + ["day\tsummer\tnan", "credit\tcard\tinf"] + clean[2:] + ["man\twoman\t-Infinity"]
    path = _write(tmp_path, "dirty.tsv", dirty)
    with pytest.warns(WvtoolWarning, match=r"skipped 3 line\(s\) whose score is not a finite number \(nan or inf\) \(line 3, 4, 15\)"):
        r = evaluate_pairs(vec, path)
    expected = evaluate_pairs(vec, _write(tmp_path, "clean.tsv", clean))
    assert r["spearman"] == expected["spearman"] and r["pearson"] == expected["pearson"]
    assert r["invalid_lines"] == 3 and r["pairs_used"] == expected["pairs_used"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = score_pairs_file(vec, path)
    assert [w.category for w in caught] == [WvtoolWarning] and "finite" in str(caught[0].message)  # no numpy RuntimeWarning
    assert s["invalid_lines"] == 3 and s["total"] == len(PAIRS) and np.isfinite(s["spearman"])
    # underscores are not a number here (float() would accept 1_000)
    with pytest.warns(WvtoolWarning, match=r"without two words and a score .*line 1\)"):
        assert read_pairs(_write(tmp_path, "u.tsv", ["a\tb\t1_000", "c\td\t2"])).items == [("c", "d", 2.0)]


def test_analogies_without_section_headers_are_one_section(tmp_path):
    vec = Vectors(["good", "better", "rough", "rougher", "fast", "faster"], np.eye(6) + 0.01)
    msr = _write(tmp_path, "msr.txt", ["good better rough rougher", "good better fast faster", "fast faster good zzz"])
    sections, invalid = read_analogies(msr)
    assert sections == [("msr.txt", [("good", "better", "rough", "rougher"), ("good", "better", "fast", "faster"),
                                     ("fast", "faster", "good", "zzz")])] and invalid == 0
    r = evaluate_analogies(vec, msr)
    assert [s["section"] for s in r["sections"]] == ["msr.txt"]
    assert r["questions"] == 3 and r["skipped"] == 1 and r["total"]["seen"] == 2
    mixed = _write(tmp_path, "mixed.txt", ["good better rough rougher", ": gram-comparative", "good better fast faster"])
    assert [name for name, _ in read_analogies(mixed)[0]] == ["mixed.txt", "gram-comparative"]


def test_shipped_files_keep_their_columns_and_evaluate_reports_them():
    _, vec = gensim_table()
    r = evaluate(vec, pairs=[shipped("wordsim353.tsv"), shipped("simlex999.txt")], restrict=None)
    assert [p["columns"] for p in r["pairs"]] == [[1, 2, 3], [1, 2, 3]]
    assert [p["pairs_used"] + p["skipped"] for p in r["pairs"]] == [353, 999]


def test_a_byte_order_mark_utf16_and_endless_lines_are_handled(tmp_path):
    """A UTF-8 byte-order mark is not part of the first word or header (it made 'cat' unknown, and a section
    header a question); UTF-16 text and a line longer than any benchmark line are one-line errors, read no
    further than that line (a gzip bomb of one endless line took gigabytes)."""
    import gzip

    from wvtool.benchmark_files import MAX_LINE_BYTES

    pairs = tmp_path / "p.tsv"
    pairs.write_bytes(b"\xef\xbb\xbfcat\tdog\t8\nking\tqueen\t9\ncar\tbanana\t1\n")
    assert read_pairs(pairs).items[0] == ("cat", "dog", 8.0)
    questions = tmp_path / "q.txt"
    questions.write_bytes(b"\xef\xbb\xbf: capital\nathens greece paris france\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_analogies(questions)[0] == [("capital", [("athens", "greece", "paris", "france")])]
    for encoding, kind in (("utf-16", "UTF-16"), ("utf-32", "UTF-32")):  # UTF-32's mark starts as UTF-16's does
        wide = tmp_path / f"{encoding}.tsv"
        wide.write_bytes("cat\tdog\t8\n".encode(encoding))
        with pytest.raises(FormatError, match=rf"{encoding}.tsv: the file is {kind} text; convert it to UTF-8 first"):
            read_pairs(wide)
    endless = tmp_path / "endless.tsv.gz"
    endless.write_bytes(gzip.compress(b"cat\tdog\t8\n" + b"a" * (MAX_LINE_BYTES + 5)))
    with pytest.raises(FormatError, match=r"endless.tsv.gz, line 2: over 1 MiB long, longer than a line of a few words"):
        read_pairs(endless)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_fifo_read_again_gives_what_was_written_to_it_since(tmp_path):
    """Outside a command's check-then-score, nothing of a pipe is kept: a second call reads the FIFO afresh (it
    served the first call's pairs again, and the writer blocked)."""
    import os
    import threading

    fifo = tmp_path / "pairs.fifo"
    os.mkfifo(fifo)
    got = []
    for text in ("cat\tdog\t8\nking\tqueen\t9\n", "man\twoman\t7\n"):
        writer = threading.Thread(target=lambda t=text: fifo.write_text(t))
        writer.start()
        got.append(read_pairs(fifo).items)
        writer.join(timeout=10)
        assert not writer.is_alive()
    assert got == [[("cat", "dog", 8.0), ("king", "queen", 9.0)], [("man", "woman", 7.0)]]
