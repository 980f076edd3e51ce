"""wvtool.evaluation against gensim's evaluate_word_analogies / evaluate_word_pairs, and its statistics against scipy."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gensim_tables import gensim_table, mixed_case_table
from scipy import stats

import wvtool
from wvtool import ConfigError, FormatError, Vectors, WvtoolWarning
from wvtool.evaluation import (
    DEFAULT_RESTRICT,
    EvalOptions,
    evaluate,
    evaluate_analogies,
    evaluate_pairs,
    pearson,
    score_pairs_file,
    shipped,
    spearman,
)

QUESTIONS = shipped("questions-words.txt")


def _gensim_analogies(kv, path, restrict, case_sensitive):
    return kv.evaluate_word_analogies(str(path), restrict_vocab=restrict or len(kv), case_insensitive=not case_sensitive)


def _assert_same_analogies(ours, theirs):
    score, sections = theirs
    assert [s["section"] for s in ours["sections"]] == [s["section"] for s in sections[:-1]]
    for mine, g in zip(ours["sections"] + [ours["total"]], sections, strict=True):
        assert mine["correct"] == len(g["correct"]), g["section"]
        assert mine["seen"] == len(g["correct"]) + len(g["incorrect"]), g["section"]
    assert ours["total"]["accuracy"] == pytest.approx(score, abs=1e-4)
    assert ours["total"]["correct"] > 0  # the comparison means something only if some answers are right


@pytest.mark.parametrize("case_sensitive", [False, True])
@pytest.mark.parametrize("restrict", [None, 1500])
def test_analogies_match_gensim(restrict, case_sensitive):
    kv, vec = gensim_table()
    theirs = _gensim_analogies(kv, QUESTIONS, restrict, case_sensitive)
    for strategy in ("questions", "words"):
        ours = evaluate_analogies(vec, restrict=restrict, case_sensitive=case_sensitive, strategy=strategy)
        _assert_same_analogies(ours, theirs)


@pytest.mark.parametrize("case_sensitive", [False, True])
@pytest.mark.parametrize("restrict", [None, 2500])
def test_analogies_match_gensim_on_mixed_case_table(restrict, case_sensitive, monkeypatch):
    kv, vec = mixed_case_table()
    theirs = _gensim_analogies(kv, QUESTIONS, restrict, case_sensitive)
    ours = evaluate_analogies(vec, restrict=restrict, case_sensitive=case_sensitive, batch_size=97, strategy="questions")
    _assert_same_analogies(ours, theirs)
    import wvtool.evaluation

    monkeypatch.setattr(wvtool.evaluation, "_BLOCK", 1000)  # several candidate blocks to merge
    ours = evaluate_analogies(vec, restrict=restrict, case_sensitive=case_sensitive, strategy="words")
    _assert_same_analogies(ours, theirs)


def test_analogy_rows_add_up():
    _, vec = gensim_table()
    r = evaluate_analogies(vec, restrict=2000)
    secs = r["sections"]
    assert r["questions"] == 19544 == sum(s["seen"] + s["skipped"] for s in secs)
    assert r["skipped"] == r["total"]["skipped"] == sum(s["skipped"] for s in secs)
    assert r["semantic"]["seen"] + r["syntactic"]["seen"] == r["total"]["seen"]
    assert r["syntactic"]["seen"] == sum(s["seen"] for s in secs if s["section"].startswith("gram"))
    assert r["skipped_percent"] == pytest.approx(100 * r["skipped"] / 19544)
    for s in secs:
        assert s["accuracy"] is None if s["seen"] == 0 else s["accuracy"] == s["correct"] / s["seen"]


@pytest.mark.parametrize("case_sensitive", [False, True])
@pytest.mark.parametrize("restrict", [None, 1500])
@pytest.mark.parametrize("name", ["wordsim353.tsv", "simlex999.txt"])
def test_pairs_match_gensim(name, restrict, case_sensitive):
    for kv, vec in (gensim_table(), mixed_case_table()):
        g_pearson, g_spearman, g_oov = kv.evaluate_word_pairs(
            str(shipped(name)), restrict_vocab=restrict or len(kv), case_insensitive=not case_sensitive
        )
        ours = evaluate_pairs(vec, shipped(name), restrict=restrict, case_sensitive=case_sensitive)
        assert ours["pearson"] == pytest.approx(g_pearson[0], abs=1e-4)
        assert ours["spearman"] == pytest.approx(g_spearman[0], abs=1e-4)
        assert ours["oov_percent"] == pytest.approx(g_oov, abs=1e-4)
        assert ours["pairs_used"] + ours["skipped"] == (353 if name.startswith("wordsim") else 999)


def test_case_folding_first_variant_wins():
    # "Paris" comes first, so in case-insensitive mode PARIS means row 0; "paris" is hidden.
    words = ["Paris", "paris", "France", "berlin", "germany", "rome", "italy"]
    vecs = np.eye(7, dtype=np.float32)
    vecs[1] = [0, 0, 0, 0, 0, 0, 1]  # paris == italy direction: would answer if it were used
    vec = Vectors(words, vecs)
    from wvtool.evaluation import eval_vocab

    vocab, canon = eval_vocab(vec, None, False)
    assert vocab["PARIS"] == 0 and list(canon) == [0, 0, 2, 3, 4, 5, 6]
    vocab_cs, canon_cs = eval_vocab(vec, 2, True)
    assert vocab_cs == {"Paris": 0, "paris": 1} and list(canon_cs) == [0, 1]


def test_unknown_words_are_counted_not_errors(tmp_path):
    vec = Vectors(["a", "b", "c", "d", "e"], np.random.default_rng(0).normal(size=(5, 4)))
    q = tmp_path / "q.txt"
    q.write_text(": one\na b c d\na b c zzz\n: gram-two\nqqq b c d\nb c d e\n")
    r = evaluate_analogies(vec, q)
    assert r["questions"] == 4 and r["skipped"] == 2 and r["total"]["seen"] == 2
    assert [s["skipped"] for s in r["sections"]] == [1, 1]
    p = tmp_path / "p.tsv"
    p.write_text("# comment\na\tb\t1.0\na\tzzz\t2.0\nc\td\t3.5\nd\te\t0.5\n")
    r = evaluate_pairs(vec, p)
    assert r["pairs_used"] == 3 and r["skipped"] == 1 and r["oov_percent"] == pytest.approx(25.0)


def test_all_unknown_gives_no_correlation_not_a_crash(tmp_path):
    vec = Vectors(["a", "b"], np.ones((2, 3)))
    p = tmp_path / "p.tsv"
    p.write_text("x\ty\t1\nu\tv\t2\n")
    r = evaluate_pairs(vec, p)
    assert r["spearman"] is None and r["pearson"] is None and r["oov_percent"] == 100.0
    q = tmp_path / "q.txt"
    q.write_text(": s\nx y z w\n")
    r = evaluate_analogies(vec, q)
    assert r["total"] == {"section": "total", "correct": 0, "seen": 0, "skipped": 1, "accuracy": None}


@pytest.mark.parametrize(("text", "where"), [
    ("", "q.txt: no analogy question"),
    (": capitals\n: family\n", "q.txt: no analogy question"),
    (": s\n\nman king woman\nman king woman queen x\n", "q.txt, line 3: no analogy question"),
])
def test_an_analogy_file_with_no_question_is_an_error_naming_it(tmp_path, text, where):
    vec = Vectors(["a", "b"], np.ones((2, 3)))
    q = tmp_path / "q.txt"
    q.write_text(text)
    with pytest.raises(FormatError) as e:
        evaluate_analogies(vec, q)
    assert str(e.value).startswith(str(tmp_path / where)) and "'a b c d'" in str(e.value)
    assert "\n" not in str(e.value)
    with pytest.raises(FormatError):  # before the vector file is read
        evaluate(tmp_path / "no-vectors-here.txt", analogies=q)


@pytest.mark.parametrize(("text", "where"), [
    ("", "p.tsv: no word pair"),
    ("# nothing\n\n", "p.tsv: no word pair"),
    ("cat\ndog\n", "p.tsv, line 1: no word pair"),
    ("# c\ncat dog nan\n", "p.tsv, line 2: no word pair"),
    ("cat dog\nking queen\n", "p.tsv: no pair has a score"),
])
def test_a_pair_benchmark_with_no_scored_pair_is_an_error_naming_it(tmp_path, text, where):
    vec = Vectors(["cat", "dog"], np.eye(2))
    p = tmp_path / "p.tsv"
    p.write_text(text)
    with pytest.raises(FormatError) as e:
        evaluate_pairs(vec, p)
    assert str(e.value).startswith(str(tmp_path / where)) and "\n" not in str(e.value)
    with pytest.raises(FormatError):
        evaluate(tmp_path / "no-vectors-here.txt", pairs=[p])
    if "score" not in where:  # similarity --pairs takes pairs without a score, but not a file with no pair
        with pytest.raises(FormatError, match="no word pair"):
            score_pairs_file(vec, p)


def test_some_good_lines_warn_and_all_unknown_is_a_result_not_an_error(tmp_path):
    vec = Vectors(["a", "b"], np.ones((2, 3)))
    q = tmp_path / "q.txt"
    q.write_text(": s\nx y z\nx y z w\n")
    with pytest.warns(WvtoolWarning, match="line 2"):
        r = evaluate_analogies(vec, q)
    assert r["questions"] == 1 and r["total"]["seen"] == 0 and r["total"]["accuracy"] is None
    p = tmp_path / "p.tsv"
    p.write_text("x y\nu v 2\n")
    with pytest.warns(WvtoolWarning, match="1 pair"):
        r = evaluate_pairs(vec, p)
    assert r["pairs_used"] == 0 and r["skipped"] == 1 and r["spearman"] is None


def test_bad_lines(tmp_path):
    vec = Vectors(["a", "b", "c", "d"], np.eye(4))
    q = tmp_path / "q.txt"
    q.write_text("a b c d\n")
    assert [s["section"] for s in evaluate_analogies(vec, q)["sections"]] == ["q.txt"]  # no header: one section
    q.write_text(": s\na b c\na b c d\n")
    with pytest.warns(WvtoolWarning, match="line 2"):
        r = evaluate_analogies(vec, q)
    assert r["invalid_lines"] == 1 and r["questions"] == 1
    p = tmp_path / "p.tsv"
    p.write_text("a\tb\tnot-a-number\na b 2\n")
    with pytest.warns(WvtoolWarning, match="line 1"):
        r = evaluate_pairs(vec, p)
    assert r["invalid_lines"] == 1 and r["pairs_used"] == 1


def test_evaluate_defaults_run_all_shipped_benchmarks():
    _, vec = gensim_table()
    seen = []
    r = evaluate(vec, restrict=800, progress=lambda done, total, info: seen.append((done, total)))
    assert r["analogies"]["file"].endswith("questions-words.txt")
    assert [p["name"] for p in r["pairs"]] == ["wordsim353.tsv", "simlex999.txt"]
    assert r["restrict"] == 800 and r["case_sensitive"] is False
    assert r["words"] == len(vec)
    assert seen and seen[-1] == (r["analogies"]["total"]["seen"],) * 2
    only_pairs = evaluate(vec, pairs=shipped("simlex999.txt"))
    assert only_pairs["analogies"] is None and len(only_pairs["pairs"]) == 1
    with pytest.raises(ConfigError, match="restrict"):
        evaluate(vec, restrict=0)


def test_lazy_public_names():
    assert wvtool.evaluate is evaluate and wvtool.evaluate_pairs is evaluate_pairs


def test_correlations_are_scipys_and_none_when_undefined():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, size=200).astype(float)  # many ties
    y = x + rng.normal(size=200)
    assert spearman(x, y) == stats.spearmanr(x, y)[0]
    assert pearson(x, y) == stats.pearsonr(x, y)[0]
    assert spearman([1.0], [2.0]) is None
    assert pearson([1, 1, 1], [1, 2, 3]) is None and spearman([1, 2, 3], [5, 5, 5]) is None
    assert pearson([1, 2, float("nan")], [1, 2, 3]) is None


def test_word_strategy_needs_no_fallback_without_case_variants(monkeypatch):
    # On an all-lower-case table, no best answer can be a variant of a query word, so the
    # per-word strategy must answer every question itself (also across several candidate blocks).
    import wvtool.evaluation as ev

    kv, vec = gensim_table()
    theirs = _gensim_analogies(kv, QUESTIONS, None, False)

    def fail(*args, **kwargs):
        raise AssertionError("per-question fallback used")

    monkeypatch.setattr(ev, "_solve", fail)
    monkeypatch.setattr(ev, "_BLOCK", 700)
    _assert_same_analogies(evaluate_analogies(vec, strategy="words"), theirs)
    with pytest.raises(ConfigError, match="strategy"):
        evaluate_analogies(vec, strategy="fast")


def test_eval_options_default_like_gensim_and_name_parameters(tmp_path):
    assert EvalOptions().restrict == DEFAULT_RESTRICT == 300_000 and EvalOptions().case_sensitive is False
    vec = Vectors(["a", "b", "c"], np.eye(3))
    assert evaluate(vec, pairs=shipped("simlex999.txt"))["restrict"] == 3
    for bad, match in (({"restrict": 0}, "restrict=0 is out of range"), ({"case_sensitive": "yes"}, "case_sensitive='yes' must be"),
                       ({"restrict": 2.5}, "restrict=2.5 must be a whole number")):
        with pytest.raises(ConfigError, match=match) as e:
            evaluate(vec, **bad)
        assert "--" not in str(e.value)
    with pytest.raises(ConfigError, match="strategy='fast' is not one of auto, questions, words"):
        evaluate_analogies(vec, strategy="fast")
    a = evaluate_pairs(vec, shipped("wordsim353.tsv"), options=EvalOptions(restrict=2), case_sensitive=True)
    assert (a["restrict"], a["case_sensitive"]) == (2, True)


def test_evaluate_checks_every_file_before_scoring(tmp_path, monkeypatch):
    import wvtool.evaluation as ev

    monkeypatch.setattr(ev, "evaluate_analogies", lambda *a, **k: pytest.fail("scored before the files were checked"))
    from wvtool import FileError

    with pytest.raises(FileError, match="nope.tsv: no such file"):
        evaluate(Vectors(["a", "b"], np.eye(2)), analogies=shipped("questions-words.txt"), pairs=[tmp_path / "nope.tsv"])


def test_score_pairs_file_rows_and_correlations(tmp_path):
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(12)] + ["Cat"]
    vec = Vectors(words, rng.normal(size=(13, 5)))
    p = tmp_path / "pairs.tsv"
    p.write_text("# mine\nw0\tw1\t1.5\nw2 w3 0.5\nw4\tqq\t2\nCat\tw5\nw6\tw7\t3\nw8\tw9\t2.5\nonly-one\nw1 w2 x\n")
    with pytest.warns(WvtoolWarning, match="2 line"):
        r = score_pairs_file(vec, p)
    assert r["file"] == str(p) and r["total"] == 6 and r["pairs_unknown"] == 1 and r["invalid_lines"] == 2
    assert [(x["word1"], x["word2"]) for x in r["pairs"]] == [("w0", "w1"), ("w2", "w3"), ("w4", "qq"), ("Cat", "w5"), ("w6", "w7"), ("w8", "w9")]
    assert r["pairs"][2]["similarity"] is None and r["pairs"][2]["unknown"] == ["qq"]
    assert "score" not in r["pairs"][3] and r["pairs"][3]["similarity"] is not None  # no score: kept, not used below
    unit = vec.vectors / np.linalg.norm(vec.vectors, axis=1, keepdims=True)
    cos = [float(unit[vec.index[a]] @ unit[vec.index[b]]) for a, b in (("w0", "w1"), ("w2", "w3"), ("w6", "w7"), ("w8", "w9"))]
    assert [x["similarity"] for x in r["pairs"] if "score" in x and x["similarity"] is not None] == pytest.approx(cos, abs=1e-6)
    gold = [1.5, 0.5, 3.0, 2.5]
    assert r["pairs_used"] == 4
    assert r["spearman"] == pytest.approx(stats.spearmanr(gold, cos)[0], abs=1e-6)
    assert r["pearson"] == pytest.approx(stats.pearsonr(gold, cos)[0], abs=1e-6)
    (tmp_path / "plain.txt").write_text("w0 w1\nw2 w3\n")
    plain = score_pairs_file(vec, tmp_path / "plain.txt")
    assert plain["total"] == 2 and "score" not in plain["pairs"][0]
    assert (plain["spearman"], plain["pearson"], plain["pairs_used"]) == (None, None, 0)  # no score: the same keys


def test_score_pairs_file_is_what_similarity_pairs_prints(run_cli, tmp_path):
    import json

    vec = Vectors(["cat", "dog", "car", "bus", "sun"], np.random.default_rng(1).normal(size=(5, 4)).astype(np.float32))
    path = tmp_path / "v.txt"
    path.write_text("5 4\n" + "".join(w + " " + " ".join(repr(float(x)) for x in row) + "\n" for w, row in zip(vec.words, vec.vectors, strict=True)))
    pairs = tmp_path / "p.tsv"
    pairs.write_text("cat\tdog\t8\ncar\tbus\t7.5\nsun\tmoon\t1\ncat\tsun\t2\nbus\tsun\n")
    code, out, err = run_cli("similarity", path, "--pairs", pairs, "--json", "-q")
    assert code == 0, err
    cli = json.loads(out)
    lib = json.loads(json.dumps(score_pairs_file(wvtool.load(path), pairs), default=str))
    assert lib["pairs_used"] == 3
    assert {k: cli[k] for k in ("total", "pairs_unknown", "invalid_lines", "spearman", "pearson", "pairs_used")} == \
        {k: lib[k] for k in ("total", "pairs_unknown", "invalid_lines", "spearman", "pearson", "pairs_used")}
    assert cli["pairs_file"] == lib["file"] and len(cli["pairs"]) == len(lib["pairs"])
    for c, x in zip(cli["pairs"], lib["pairs"], strict=True):  # the CLI names a cosine 'score', a judgement 'human'
        assert (c["word1"], c["word2"], c["score"], c["unknown"], c.get("human")) == \
            (x["word1"], x["word2"], x["similarity"], x["unknown"], x.get("score"))


@pytest.mark.parametrize("func", [evaluate_analogies, evaluate_pairs, score_pairs_file])
def test_benchmark_functions_want_a_table(func, tmp_path):
    pairs = tmp_path / "p.txt"
    pairs.write_text("a b 1\nb c 2\n", encoding="utf-8")
    args = (pairs,) if func is score_pairs_file else ()
    with pytest.raises(ConfigError, match=r"^vectors must be a vector table, not a path \(str\); .*wvtool\.load"):
        func("vectors.wv", *args)
    with pytest.raises(ConfigError, match=r"^vectors must be a vector table .*not dict$"):
        func({"a": [1.0]}, *args)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"batch_size": 0}, r"^batch_size=0 is out of range; use 1 or more$"),
    ({"batch_size": "x"}, r"^batch_size='x' must be a whole number"),
    ({"progress": 5}, r"^progress must be a callable progress\(done, total, info\) or None, not int$"),
])
def test_evaluate_analogies_checks_batch_size_and_progress(kwargs, message):
    _, vec = gensim_table()
    with pytest.raises(ConfigError, match=message):
        evaluate_analogies(vec, restrict=300, **kwargs)


def test_evaluate_analogies_batch_size_does_not_change_the_result():
    _, vec = gensim_table()
    base = evaluate_analogies(vec, restrict=300, strategy="questions")
    assert evaluate_analogies(vec, restrict=300, strategy="questions", batch_size=7)["total"] == base["total"]


def test_evaluate_checks_its_callbacks_and_vectors_before_any_work(monkeypatch):
    _, vec = gensim_table()
    monkeypatch.setattr("wvtool.evaluation.evaluate_analogies", lambda *a, **k: pytest.fail("scored"))
    for kwargs, name in (({"progress": 5}, "progress"), ({"load_progress": "x"}, "load_progress")):
        with pytest.raises(ConfigError, match=rf"^{name} must be a callable"):
            evaluate(vec, **kwargs)
    with pytest.raises(ConfigError, match=r"^vectors must be a vector table or the path of a vector file, not NoneType$"):
        evaluate(None)


@pytest.mark.parametrize(("call", "message"), [
    (lambda kv: kv.head("3"), "head(n): n must be a whole number, not str"),
    (lambda kv: kv.head(None), "head(n): n must be a whole number, not NoneType"),
    (lambda kv: evaluate_analogies(kv, 5), "analogies must be a file path (a str or pathlib.Path), not int"),
    (lambda kv: evaluate_pairs(kv, 3.5), "pairs must be a file path (a str or pathlib.Path), not float"),
    (lambda kv: wvtool.evaluate(kv, analogies=4), "analogies must be a file path"),
    (lambda kv: wvtool.evaluate(kv, pairs=[None]), "pairs must be a file path (a str or pathlib.Path), not NoneType"),
    (lambda kv: wvtool.plot(kv, ["a", "b"], output=None), "output must be a file path"),
    (lambda kv: wvtool.plot(kv, ["a", "b"], output="x.png", csv=5), "csv must be a file path"),
])
def test_api_arguments_of_the_wrong_type_are_config_errors(call, message):
    kv = Vectors(["a", "b", "c"], np.eye(3, dtype=np.float32))
    with pytest.raises(ConfigError) as e:
        call(kv)
    assert message in str(e.value)


def test_pairs_from_standard_input(run_cli, tmp_path):
    """--pairs - reads the pairs from standard input (it said '-: no such file'); only one input can be -."""
    table = tmp_path / "v.txt"
    table.write_text("3 2\ncat 1 0\ndog 1 1\ncar 0 1\n")
    text = "cat\tdog\t8\ncat\tcar\t1\ndog\tcar\t5\n"
    code, out, err = run_cli("similarity", table, "--pairs", "-", "--json", "-q", input=text)
    assert code == 0 and [p["human"] for p in json.loads(out)["pairs"]] == [8.0, 1.0, 5.0]
    code, out, err = run_cli("eval", table, "--pairs", "-", "--json", "-q", input=text)
    assert code == 0 and json.loads(out)["pairs"][0]["pairs_used"] == 3
    assert run_cli("eval", "-", "--pairs", "-", input=text) == (
        1, "", "wvtool: error: standard input (-) can be read once: give at most one of the vectors, the analogies "
               "and the pair files as -\n")
    assert run_cli("similarity", "-", "--pairs", "-", input=text)[2].startswith(
        "wvtool: error: standard input (-) can be read once")
