"""Using subword (fastText) tables from the command line: the output format a subword table is written in,
--keep-subwords, and unseen words composed from n-grams in analogy, plot and eval."""

import json
from pathlib import Path

import gensim
import numpy as np
import pytest

import wvtool
from wvtool import ConfigError, Vectors
from wvtool.formats import detect_format

DATA = Path(gensim.__file__).parent / "test" / "test_data"
LEE = DATA / "lee_fasttext.bin"
OOV = ["someoovword", "governmentz", "tennises"]


@pytest.fixture(scope="module")
def lee():
    return wvtool.load(LEE)


def _leftovers(directory: Path, keep=()) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


# ---------------------------------------------------------------------------------------------
# 1. the output format follows the table: .bin is a fastText model for a subword table
# ---------------------------------------------------------------------------------------------


def test_convert_subword_table_to_bin_writes_a_fasttext_model(run_cli, tmp_path, lee):
    from gensim.models.fasttext import load_facebook_model

    out = tmp_path / "out.bin"
    code, stdout, err = run_cli("convert", LEE, out, "--json", "-q")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["output_format"] == "fasttext-bin" and doc["subwords_written"] is True
    assert detect_format(out) == "fasttext-bin"
    back = wvtool.load(out)
    assert back.equals(lee)
    for w in OOV:
        assert back.is_composed(w)
        np.testing.assert_array_equal(back.vector(w), lee.vector(w))
    model = load_facebook_model(str(out))
    assert list(model.wv.index_to_key) == list(lee.words)
    same = [i for i, w in enumerate(lee.words) if w != "</s>"]  # fastText composes </s> without n-grams
    np.testing.assert_allclose(model.wv.vectors[same], lee.vectors[same], atol=1e-6, rtol=0)
    for w in OOV:
        np.testing.assert_allclose(model.wv[w], lee.vector(w), atol=1e-6, rtol=0)


def test_convert_word_only_table_to_bin_stays_word2vec_binary(run_cli, tmp_path, lee):
    vec = wvtool.save(Vectors(lee.words, lee.vectors), tmp_path / "plain.vec")
    out = tmp_path / "plain.bin"
    code, stdout, err = run_cli("convert", vec, out, "--json", "-q")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["output_format"] == "word2vec-binary" and doc["subwords_written"] is None
    assert detect_format(out) == "word2vec-binary"
    np.testing.assert_array_equal(wvtool.load(out).vectors, lee.vectors)
    assert "note" not in err


def test_explicit_output_format_wins_over_the_table(run_cli, tmp_path, lee):
    out = tmp_path / "words.bin"
    code, _, err = run_cli("convert", LEE, out, "--to", "word2vec-binary")
    assert code == 0, err
    assert detect_format(out) == "word2vec-binary"
    np.testing.assert_array_equal(wvtool.load(out).vectors, lee.vectors)
    info = wvtool.formats.convert(LEE, tmp_path / "lib.bin")  # the library decides the same way
    assert info["output_format"] == "fasttext-bin" and detect_format(tmp_path / "lib.bin") == "fasttext-bin"


def test_output_format_choice():
    from wvtool.formats import output_format

    assert output_format("m.bin") == "word2vec-binary"
    assert output_format("m.bin.gz", subwords=True) == "fasttext-bin"
    assert output_format("m.bin", "word2vec-binary", subwords=True) == "word2vec-binary"
    assert output_format("m.wv", subwords=True, keep_subwords=True) == "native"
    assert output_format("m.vec", keep_subwords=True) == "fasttext"  # a word-only table has nothing to keep
    with pytest.raises(ConfigError, match=r"^fasttext format cannot hold the n-gram table .*keep_subwords=True.*"
                                          r"\.bin or \.wv, or pass to=native or to=fasttext-bin$"):
        output_format("m.vec", subwords=True, keep_subwords=True, param="to")


# ---------------------------------------------------------------------------------------------
# 2. word-only formats: the vocabulary's vectors and a note, or with --keep-subwords an error
# ---------------------------------------------------------------------------------------------

WORD_ONLY = [
    ("v.vec", [], "fasttext"),
    ("v.txt", [], "word2vec"),
    ("v.glove", [], "glove"),
    ("v.bin", ["--to", "word2vec-binary"], "word2vec-binary"),
    ("v.tsv", [], "projector"),
]


@pytest.mark.parametrize("name, extra, fmt", WORD_ONLY)
def test_word_only_format_writes_the_vocabulary_with_a_note(run_cli, tmp_path, lee, name, extra, fmt):
    code, stdout, err = run_cli("convert", LEE, tmp_path / name, *extra, "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["output_format"] == fmt and doc["subwords_written"] is False
    notes = [line for line in err.splitlines() if line.startswith("wvtool: note:")]
    assert len(notes) == 1 and "n-gram table" in notes[0] and fmt in notes[0]
    if fmt != "projector":
        back = wvtool.load(tmp_path / name, format=fmt)
        assert back.subwords is None and back.words == lee.words
        np.testing.assert_array_equal(back.vectors, lee.vectors)
    assert "note" not in run_cli("convert", LEE, tmp_path / ("q" + name), *extra, "-q")[2]


@pytest.mark.parametrize("name, extra, fmt", WORD_ONLY)
def test_keep_subwords_refuses_a_word_only_format(run_cli, tmp_path, name, extra, fmt):
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run_cli("convert", LEE, out / name, *extra, "--keep-subwords")
    assert code == 1 and stdout == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"wvtool: error: {fmt} format cannot hold the n-gram table of a subword model "
                          "(--keep-subwords); name the output .bin or .wv, or pass --to native or --to fasttext-bin")
    assert _leftovers(out) == []


def test_keep_subwords_accepts_subword_formats(run_cli, tmp_path, lee):
    for name in ("k.bin", "k.wv"):
        code, _, err = run_cli("convert", LEE, tmp_path / name, "--keep-subwords")
        assert code == 0, err
        assert wvtool.load(tmp_path / name).equals(lee)
    with pytest.raises(ConfigError, match="keep_subwords=True"):
        wvtool.save(lee, tmp_path / "lib.txt", keep_subwords=True)
    assert not (tmp_path / "lib.txt").exists()


def test_train_keep_subwords_refused_before_training(run_cli, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat\n" * 20)
    code, stdout, err = run_cli("train", corpus, "-o", tmp_path / "m.vec", "--subwords", "--keep-subwords",
                                "--bucket", "100", "--min-count", "1")
    assert code == 1 and stdout == "" and err.count("\n") == 1
    assert err.startswith("wvtool: error: fasttext format cannot hold the n-gram table of a subword model "
                          "(--keep-subwords); name the output .bin or .wv, or pass --format native")
    assert _leftovers(tmp_path, {"c.txt"}) == []
    code, stdout, err = run_cli("train", corpus, "-o", tmp_path / "m.txt", "--subwords", "--bucket", "100",
                                "--min-count", "1", "--epochs", "1", "--threads", "1", "--dim", "8", "--json")
    assert code == 0, err
    assert json.loads(stdout)["subwords_written"] is False and "wvtool: note:" in err and "n-gram table" in err


# ---------------------------------------------------------------------------------------------
# 3. analogy and plot compose unseen words
# ---------------------------------------------------------------------------------------------


def _without_ngrams_of(kv: Vectors, word: str, path: Path) -> Path:
    """``kv`` saved as native with every n-gram row of ``word`` zeroed: ``word`` then has no known n-gram."""
    from wvtool.subwords import Subwords, word_buckets

    sw = kv.subwords
    ngrams = np.array(sw.ngrams)
    ngrams[word_buckets(word, sw.minn, sw.maxn, sw.bucket)] = 0
    table = Vectors(kv.words, kv.vectors, kv.counts, subwords=Subwords(sw.minn, sw.maxn, sw.bucket, ngrams),
                    word_rows=kv.word_rows)
    return wvtool.save(table, path)


@pytest.mark.parametrize("a, b, c", [("government", "minister", "australianz"), ("policez", "said", "peoplez")])
def test_analogy_with_unseen_words_equals_gensim_fasttext(lee, a, b, c):
    from gensim.models.fasttext import load_facebook_vectors

    ft = load_facebook_vectors(str(LEE))
    expected = ft.most_similar(positive=[b, c], negative=[a], topn=10)
    got = wvtool.analogy(lee, a, b, c, k=10)
    assert [w for w, _ in got[:5]] == [w for w, _ in expected[:5]]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)
    assert not {a, b, c} & {w for w, _ in got}


def test_analogy_3cosmul_with_an_unseen_word_matches_a_numpy_reference(lee):
    a, b, c = "government", "minister", "australianz"
    unit = lambda v: v / np.linalg.norm(v)  # noqa: E731
    qa, qb, qc = (unit(lee.vector(w).astype(np.float64)) for w in (a, b, c))
    table = lee.vectors / np.linalg.norm(lee.vectors, axis=1, keepdims=True)
    shifted = [(table @ q + 1) / 2 for q in (qa, qb, qc)]
    scores = shifted[1] * shifted[2] / (shifted[0] + 1e-3)
    for w in (a, b):
        scores[lee.index[w]] = -np.inf
    best = np.argsort(-scores)[:5]
    got = wvtool.analogy(lee, a, b, c, k=5, method="mul")
    assert [w for w, _ in got] == [lee.words[i] for i in best]
    np.testing.assert_allclose([s for _, s in got], scores[best], atol=1e-5)


def test_analogy_cli_marks_composed_words(run_cli, tmp_path, lee):
    code, stdout, err = run_cli("analogy", LEE, "government", "minister", "australianz", "--json", "-q")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["composed"] == ["australianz"]
    assert [a["word"] for a in doc["answers"]] == [w for w, _ in wvtool.analogy(lee, "government", "minister",
                                                                                   "australianz")]
    code, stdout, _ = run_cli("analogy", LEE, "government", "minister", "australianz")
    assert code == 0 and "(australianz composed from subwords)" in stdout
    code, stdout, _ = run_cli("analogy", LEE, "government", "minister", "police", "--json")
    assert code == 0 and json.loads(stdout)["composed"] == []
    # a word with no known n-gram is still an unknown word, with suggestions
    damaged = _without_ngrams_of(lee, "Australiax", tmp_path / "z.wv")
    code, stdout, err = run_cli("analogy", damaged, "government", "minister", "Australiax")
    assert code == 1 and stdout == "" and err.count("\n") == 1
    assert err.startswith("wvtool: error: 'Australiax' is not in the vocabulary") and "did you mean" in err


@pytest.mark.slow
def test_plot_composes_unseen_words_and_marks_them(run_cli, tmp_path, lee):
    from wvtool.plotting.drawing import draw
    from wvtool.plotting.options import PlotOptions
    from wvtool.plotting.projection import project_words, unit_matrix
    from wvtool.plotting.selection import check_request, select

    words = ["government", "minister", "australianz", "policez", "police"]
    x = unit_matrix(lee, words)
    for i, w in enumerate(words):
        v = lee.vector(w).astype(np.float64)
        np.testing.assert_allclose(x[i], v / np.linalg.norm(v), atol=1e-6)
    chosen = select(lee, check_request(words, None, None, None), 5)
    assert chosen.words == words and chosen.composed == ["australianz", "policez"] and chosen.skipped == []
    xy, info = project_words(lee, chosen.words, PlotOptions())
    fig, _ = draw(xy, info, chosen, PlotOptions(labels="all"))
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == sorted(["government", "minister", "australianz*", "policez*",
                                                             "police"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["* composed from subwords"]
    fig, _ = draw(xy, info, chosen, PlotOptions(labels="none"))  # no labels, no mark to explain
    assert fig.axes[0].get_legend() is None and not fig.axes[0].texts

    code, stdout, err = run_cli("plot", LEE, *words, "-o", tmp_path / "p.png", "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["composed"] == ["australianz", "policez"] and doc["n_words"] == 5 and doc["skipped"] == []
    assert "wvtool: note: 2 words not in the vocabulary composed from subwords" in err
    # around an unseen word: the centre is composed too
    code, stdout, err = run_cli("plot", LEE, "--around", "policez", "-k", "4", "-o", tmp_path / "a.png", "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["around"] == "policez" and doc["composed"] == ["policez"] and doc["n_words"] == 5


def test_plot_word_without_known_ngrams_is_unknown(run_cli, tmp_path, lee):
    damaged = _without_ngrams_of(lee, "Australiax", tmp_path / "z.wv")
    code, stdout, err = run_cli("plot", damaged, "--around", "Australiax", "-o", tmp_path / "a.png")
    assert code == 1 and err.count("\n") == 1 and "'Australiax' is not in the vocabulary" in err
    assert not (tmp_path / "a.png").exists()
    code, stdout, err = run_cli("plot", damaged, "government", "police", "Australiax", "-o", tmp_path / "b.png",
                                "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["skipped"] == ["Australiax"] and doc["composed"] == [] and "skipping 1 word" in err


# ---------------------------------------------------------------------------------------------
# 4. eval: the usual figures, and the same with unknown words composed
# ---------------------------------------------------------------------------------------------


def _questions_file(tmp_path: Path, lee, restrict: int = 1000) -> Path:
    """Analogy questions over lee's words and unseen spellings of them, in two sections; every other
    question's expected answer is gensim FastText's (so some are right), the others' a random word."""
    from gensim.models.fasttext import load_facebook_vectors

    ft = load_facebook_vectors(str(LEE))
    rng = np.random.default_rng(5)
    vocab = [w for w in lee.words[:400] if w.isalpha() and len(w) > 3]
    lines = []
    for section in ("capital-common", "gram1-plural"):
        lines.append(f": {section}")
        for i in range(40):
            words = list(rng.choice(vocab, 4, replace=False))
            for j in rng.choice(3, int(rng.integers(0, 3)), replace=False):
                words[j] = words[j] + "zq"  # outside the vocabulary: composed from n-grams
            if i % 2 == 0:
                words[3] = ft.most_similar(positive=words[1:3], negative=words[:1], topn=1, restrict_vocab=restrict)[0][0]
            elif i % 5 == 1:
                words[3] += "zq"  # an unseen expected answer: never right
            lines.append(" ".join(words))
    path = tmp_path / "q.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_eval_analogies_composed_equal_gensim_fasttext(tmp_path, lee):
    from gensim.models.fasttext import load_facebook_vectors

    ft = load_facebook_vectors(str(LEE))
    path = _questions_file(tmp_path, lee)
    restrict = 1000
    got = wvtool.evaluate_analogies(lee, path, restrict=restrict, case_sensitive=True)
    plain = ft.evaluate_word_analogies(str(path), restrict_vocab=restrict, case_insensitive=False)[0]
    assert got["total"]["accuracy"] == pytest.approx(plain)  # the usual figures: unknown words skipped, as gensim
    head = set(lee.words[:restrict])
    correct = seen = 0
    per_section = {}
    for line in path.read_text().splitlines():
        if line.startswith(":"):
            section = line[2:]
            continue
        a, b, c, d = line.split()
        answer = ft.most_similar(positive=[b, c], negative=[a], topn=1, restrict_vocab=restrict)[0][0]
        seen += 1
        correct += answer == d and d in head
        per_section.setdefault(section, []).append(answer == d and d in head)
    comp = got["composed"]
    assert comp["total"]["seen"] == seen == comp["questions"] and comp["skipped"] == 0
    assert comp["total"]["correct"] == correct > got["total"]["correct"] > 0
    assert [s["correct"] for s in comp["sections"]] == [sum(v) for v in per_section.values()]
    assert comp["composed_words"] == len({w for line in path.read_text().splitlines() if not line.startswith(":")
                                          for w in line.split() if w not in lee})
    # the answers of the questions seen without composing do not change
    words_only = wvtool.evaluate_analogies(Vectors(lee.words, lee.vectors), path, restrict=restrict, case_sensitive=True)
    assert words_only["total"] == got["total"] and "composed" not in words_only


def test_eval_analogies_composed_ignoring_case_follow_gensims_rule(tmp_path, lee):
    """Case ignored: a word stands for its most frequent case variant in the vocabulary, else it is composed
    lower-cased; of gensim's 5 best answers the first that is not a query word (upper-cased) is taken."""
    from gensim.models.fasttext import load_facebook_vectors

    ft = load_facebook_vectors(str(LEE))
    path = _questions_file(tmp_path, lee)
    lines = path.read_text().splitlines()  # every third question title-cased: case variants must fold
    path.write_text("\n".join(x.title() if i % 3 == 0 and x[0] != ":" else x for i, x in enumerate(lines)) + "\n")
    restrict = 1000
    first = {}
    for w in lee.words[:restrict]:
        first.setdefault(w.upper(), w)
    correct = 0
    for line in path.read_text().splitlines():
        if line.startswith(":"):
            continue
        a, b, c, d = (first.get(w.upper(), w.lower()) for w in line.split())
        ignore = {w.upper() for w in (a, b, c)}
        for answer, _ in ft.most_similar(positive=[b, c], negative=[a], topn=5, restrict_vocab=restrict):
            if answer.upper() not in ignore:
                break
        correct += answer.upper() == d.upper() and d.upper() in first
    got = wvtool.evaluate_analogies(lee, path, restrict=restrict)
    assert got["composed"]["total"]["correct"] == correct > 0
    for strategy in ("questions", "words"):  # both solvers give the same answers
        again = wvtool.evaluate_analogies(lee, path, restrict=restrict, strategy=strategy)
        assert again["composed"]["total"] == got["composed"]["total"]


def test_eval_pairs_composed_equal_gensim_fasttext(lee):
    from gensim.models.fasttext import load_facebook_vectors
    from scipy.stats import pearsonr, spearmanr

    from wvtool.benchmark_files import read_pairs
    from wvtool.evaluation import shipped

    ft = load_facebook_vectors(str(LEE))
    restrict = 800
    got = wvtool.evaluate_pairs(lee, restrict=restrict)  # WordSim-353, case ignored
    expected = ft.evaluate_word_pairs(str(shipped("wordsim353.tsv")), restrict_vocab=restrict, case_insensitive=True)
    assert got["spearman"] == pytest.approx(expected[1][0], abs=1e-6)
    first = {}
    for w in lee.words[:restrict]:
        first.setdefault(w.upper(), w)  # the most frequent case variant stands for the others
    items, _, _ = read_pairs(shipped("wordsim353.tsv"), None)
    gold, sims = [], []
    for w1, w2, score in items:
        u, v = (first.get(w.upper(), w.lower()) for w in (w1, w2))  # in the vocabulary, or composed lower-cased
        gold.append(score)
        sims.append(ft.similarity(u, v))
    comp = got["composed"]
    assert comp["pairs_used"] == len(items) and comp["skipped"] == 0 and comp["oov_percent"] == 0.0
    assert comp["spearman"] == pytest.approx(spearmanr(gold, sims)[0], abs=1e-5)
    assert comp["pearson"] == pytest.approx(pearsonr(gold, sims)[0], abs=1e-5)
    assert comp["composed_words"] > 0


def test_eval_cli_shows_both_figures_for_subword_models_only(run_cli, tmp_path, lee):
    path = _questions_file(tmp_path, lee)
    code, stdout, err = run_cli("eval", LEE, "--analogies", path, "--pairs", DATA / "wordsim353.tsv", "--json", "-q")
    assert code == 0, err
    doc = json.loads(stdout)
    lib = wvtool.evaluate(lee, analogies=path, pairs=[DATA / "wordsim353.tsv"])
    assert doc["analogies"]["composed"]["total"] == lib["analogies"]["composed"]["total"]
    same_keys = set(doc["analogies"]) - {"file", "restrict", "case_sensitive", "invalid_lines", "composed"}
    assert set(doc["analogies"]["composed"]) == same_keys | {"composed_words"}
    assert doc["pairs"][0]["composed"]["spearman"] == pytest.approx(lib["pairs"][0]["composed"]["spearman"])
    code, stdout, _ = run_cli("eval", LEE, "--analogies", path, "--pairs", DATA / "wordsim353.tsv", "-q")
    assert code == 0 and "accuracy composed" in stdout and "Spearman composed" in stdout
    assert "words composed from subwords" in stdout
    plain = wvtool.save(Vectors(lee.words, lee.vectors), tmp_path / "plain.wv")
    code, stdout, _ = run_cli("eval", plain, "--analogies", path, "--json", "-q")
    assert code == 0 and "composed" not in json.loads(stdout)["analogies"]
    code, stdout, _ = run_cli("eval", plain, "--analogies", path, "-q")
    assert code == 0 and "composed" not in stdout


# ---------------------------------------------------------------------------------------------
# 5. issue 10's bad input, through the command line: one line, exit 1, no traceback, no file
# ---------------------------------------------------------------------------------------------


def _damaged_models(tmp_path: Path, lee) -> dict[str, tuple[Path, str]]:
    """Damaged or refused fastText models: name -> (file, a fragment of the expected message)."""
    data = wvtool.save(lee, tmp_path / "good.bin").read_bytes()  # version 12, with the magic number
    quant = 8 + 56 + 20 + 8 + sum(len(w.encode()) + 10 for w in lee.words)  # header, dictionary, then the flag
    cases = {
        "truncated in the header": (data[:40], "header field"),
        "truncated in the words": (data[:300], "header field"),
        "truncated in the matrix": (data[: len(data) // 2], "header field"),
        "sizes disagree": (_packed(data, "<i", 64, 2**31 - 1), "inconsistent dictionary sizes"),
        "version 13": (_packed(data, "<i", 4, 13), "version 13"),
        "supervised (labels)": (_packed(data, "<i", 72, 3), "supervised"),
        "quantized": (data[:quant] + b"\x01" + data[quant + 1 :], "quantized"),
        "trailing bytes": (data + b"\0\0\0\0", "unexpected bytes"),
    }
    out = {}
    for i, (name, (content, fragment)) in enumerate(cases.items()):
        path = tmp_path / f"bad{i}.bin"
        path.write_bytes(content)
        out[name] = (path, fragment)
    out["supervised (gensim's file)"] = (DATA / "pang_lee_polarity_fasttext.bin", "supervised")
    return out


def _packed(data: bytes, fmt: str, offset: int, value: int) -> bytes:
    import struct

    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def _one_line_error(code: int, stdout: str, err: str) -> str:
    assert code == 1 and stdout == "", (code, stdout, err)
    assert err.count("\n") == 1 and err.startswith("wvtool: error: ") and "Traceback" not in err, err
    return err


def test_damaged_or_refused_fasttext_models_on_the_command_line(run_cli, tmp_path, lee):
    out = tmp_path / "out"
    out.mkdir()
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n")
    for name, (path, fragment) in _damaged_models(tmp_path, lee).items():
        err = _one_line_error(*run_cli("info", path))
        assert fragment in err and str(path) in err, (name, err)
        for dest in ("m.wv", "m.bin", "m.vec"):
            err = _one_line_error(*run_cli("convert", path, out / dest))
            assert fragment in err, (name, err)
        _one_line_error(*run_cli("neighbors", path, "government"))
        _one_line_error(*run_cli("train", corpus, "-o", out / "t.bin", "--init", path, "--min-count", "1"))
        assert _leftovers(out) == [], name


@pytest.mark.parametrize(
    "name, args, message",
    [
        ("v.bin", ["--minn", "2"], "--minn 2 is a subword setting; pass --subwords too, or leave it out"),
        ("v.bin", ["--maxn", "4"], "--maxn 4 is a subword setting; pass --subwords too, or leave it out"),
        ("v.bin", ["--bucket", "10"], "--bucket 10 is a subword setting; pass --subwords too, or leave it out"),
        ("v.bin", ["--subwords", "--minn", "4", "--maxn", "3"], "--minn 4 is greater than --maxn 3"),
        ("v.bin", ["--subwords", "--bucket", "0"], "--bucket 0 leaves no rows for the n-grams of --maxn 6"),
        ("v.txt", ["--subwords", "--keep-subwords"], "cannot hold the n-gram table"),
    ],
)
def test_bad_subword_training_settings_on_the_command_line(run_cli, tmp_path, name, args, message):
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat\n" * 5)
    err = _one_line_error(*run_cli("train", corpus, "-o", tmp_path / name, *args, "--min-count", "1"))
    assert message in err
    assert _leftovers(tmp_path, {"c.txt"}) == []


# ---------------------------------------------------------------------------------------------
# 6. neighbors of an expression, doesnt_match, n_similarity and similarity --pairs compose too
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gensim_lee():
    from gensim.models.fasttext import load_facebook_vectors

    return load_facebook_vectors(str(LEE))


@pytest.mark.parametrize("positive, negative", [(["government", "australianz"], ["minister"]),
                                                (["policez"], ["peoplez"]), (["tennises", ("said", 0.5)], [])])
def test_most_similar_with_unseen_words_equals_gensim_fasttext(lee, gensim_lee, positive, negative):
    expected = gensim_lee.most_similar(positive=positive, negative=negative, topn=10)
    got = wvtool.most_similar(lee, positive, negative, k=10)
    assert [w for w, _ in got[:5]] == [w for w, _ in expected[:5]]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)
    words = {w if isinstance(w, str) else w[0] for w in positive + negative}
    assert not words & {w for w, _ in got}
    restricted = wvtool.most_similar(lee, positive, negative, k=5, restrict=300)
    expected = gensim_lee.most_similar(positive=positive, negative=negative, topn=5, restrict_vocab=300)
    assert [w for w, _ in restricted] == [w for w, _ in expected]


def test_neighbors_cli_expression_marks_composed_words(run_cli, tmp_path, lee):
    code, stdout, err = run_cli("neighbors", LEE, "government", "-", "minister", "+", "australianz", "--json", "-q")
    assert code == 0, err
    (res,) = json.loads(stdout)["results"]
    assert res["composed"] == ["australianz"]
    expected = wvtool.most_similar(lee, ["government", "australianz"], ["minister"])
    assert [a["word"] for a in res["answers"]] == [w for w, _ in expected]
    np.testing.assert_allclose([a["score"] for a in res["answers"]], [s for _, s in expected], atol=1e-6)
    code, stdout, _ = run_cli("neighbors", LEE, "government", "+australianz", "-", "minister")
    assert code == 0 and "(australianz composed from subwords)" in stdout
    code, stdout, _ = run_cli("neighbors", LEE, "government", "-", "minister", "--json")
    assert code == 0 and json.loads(stdout)["results"][0]["composed"] == []  # a subword model's entries have the key
    plain = wvtool.save(Vectors(lee.words, lee.vectors), tmp_path / "plain.wv")  # a word-only table: unknown
    code, stdout, err = run_cli("neighbors", plain, "government", "+", "australianz", "--json")
    assert code == 1 and "'australianz' is not in the vocabulary" in json.loads(stdout)["results"][0]["error"]
    damaged = _without_ngrams_of(lee, "Australiax", tmp_path / "z.wv")
    code, stdout, err = run_cli("neighbors", damaged, "government", "+", "Australiax")
    assert code == 1 and stdout.strip() == "" and err.count("\n") == 1
    assert err.startswith("wvtool: error: 'Australiax' is not in the vocabulary") and "did you mean" in err


@pytest.mark.parametrize("words", [["government", "minister", "police", "tennises"],
                                   ["australianz", "policez", "government", "minister"],
                                   ["someoovword", "governmentz", "tennises"]])
def test_doesnt_match_with_unseen_words_equals_gensim_fasttext(lee, gensim_lee, words):
    assert wvtool.doesnt_match(lee, words) == gensim_lee.doesnt_match(words)
    central = wvtool.query.centrality(lee, words)
    units = [lee.vector(w) / np.linalg.norm(lee.vector(w)) for w in words]
    mean = np.mean(units, axis=0)
    expected = {w: float(u @ mean / np.linalg.norm(mean)) for w, u in zip(words, units, strict=True)}
    for w, c in central:
        assert c == pytest.approx(expected[w], abs=1e-5)


@pytest.mark.parametrize("ws1, ws2", [(["government", "australianz"], ["minister", "police"]),
                                      (["policez"], ["peoplez", "tennises"]), (["government"], ["minister"])])
def test_n_similarity_with_unseen_words_equals_gensim_fasttext(lee, gensim_lee, ws1, ws2):
    assert wvtool.n_similarity(lee, ws1, ws2) == pytest.approx(float(gensim_lee.n_similarity(ws1, ws2)), abs=1e-5)


def test_doesnt_match_and_n_similarity_unknown_words(tmp_path, lee):
    from wvtool.errors import UnknownWordError

    plain = Vectors(lee.words, lee.vectors)  # a word-only table: an unseen word is unknown, as before
    with pytest.raises(UnknownWordError, match="'australianz' is not in the vocabulary"):
        wvtool.doesnt_match(plain, ["government", "australianz", "police"])
    with pytest.raises(UnknownWordError, match="'australianz' is not in the vocabulary"):
        wvtool.n_similarity(plain, ["government"], ["australianz"])
    damaged = wvtool.load(_without_ngrams_of(lee, "Australiax", tmp_path / "z.wv"))
    for call in (lambda: wvtool.doesnt_match(damaged, ["government", "police", "Australiax"]),
                 lambda: wvtool.n_similarity(damaged, ["government", "Australiax"], ["police"])):
        with pytest.raises(UnknownWordError, match="'Australiax' is not in the vocabulary") as e:
            call()
        assert e.value.suggestions


def test_similarity_pairs_file_composes_unseen_words_as_gensim_fasttext(lee, gensim_lee):
    from scipy.stats import pearsonr, spearmanr

    from wvtool.benchmark_files import read_pairs

    path = DATA / "wordsim353.tsv"
    got = wvtool.score_pairs_file(lee, path)
    items, _, _ = read_pairs(path, None)
    assert got["total"] == len(items) and got["pairs_unknown"] == 0
    # the usual figures: the pairs of vocabulary words only, as gensim's evaluate_word_pairs (case kept)
    pearson, spearman, oov = gensim_lee.evaluate_word_pairs(str(path), restrict_vocab=len(lee), case_insensitive=False)
    assert got["spearman"] == pytest.approx(spearman[0], abs=1e-6) and got["pearson"] == pytest.approx(pearson[0],
                                                                                                        abs=1e-6)
    assert got["pairs_used"] == round(len(items) * (1 - oov / 100))
    # every pair with an unseen word is composed, with gensim's cosine, and marked
    sims = [float(gensim_lee.similarity(w1, w2)) for w1, w2, _ in items]
    np.testing.assert_allclose([p["similarity"] for p in got["pairs"]], sims, atol=1e-5)
    for p in got["pairs"]:
        assert p["composed"] == [w for w in dict.fromkeys((p["word1"], p["word2"])) if w not in lee.index]
    comp = got["composed"]
    gold = [s for _, _, s in items]
    assert comp["pairs_used"] == len(items) and comp["pairs_composed"] == len(items) - got["pairs_used"] > 0
    assert comp["spearman"] == pytest.approx(spearmanr(gold, sims)[0], abs=1e-5)
    assert comp["pearson"] == pytest.approx(pearsonr(gold, sims)[0], abs=1e-5)
    assert comp["composed_words"] == len({w for w1, w2, _ in items for w in (w1, w2) if w not in lee.index})


def test_similarity_pairs_cli_on_subword_and_word_only_tables(run_cli, tmp_path, lee):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("government\tminister\t7.5\naustralianz\tpolice\t6\npolicez\tpeoplez\t5\n"
                     "government\tsaid\t2\ntennises\tminister\t1\ngovernment\tAustraliax\t3\n")
    damaged = _without_ngrams_of(lee, "Australiax", tmp_path / "z.wv")
    code, stdout, err = run_cli("similarity", damaged, "--pairs", pairs, "--json", "-q")
    assert code == 0, err
    doc = json.loads(stdout)
    assert [p["composed"] for p in doc["pairs"]] == [[], ["australianz"], ["policez", "peoplez"], [], ["tennises"], []]
    assert doc["pairs"][-1]["unknown"] == ["Australiax"] and doc["pairs"][-1]["score"] is None
    assert doc["pairs_unknown"] == 1 and doc["pairs_used"] == 2
    assert doc["composed"]["pairs_used"] == 5 and doc["composed"]["pairs_composed"] == 3
    code, stdout, err = run_cli("similarity", damaged, "policez", "peoplez", "--json", "-q")  # two words: the same keys
    two = json.loads(stdout)
    assert code == 0, err
    assert two.keys() == doc.keys() and two["composed"].keys() == doc["composed"].keys()
    assert two["composed"]["pairs_composed"] == 1 and two["composed"]["composed_words"] == 2
    expected = wvtool.similarity(wvtool.load(damaged), "australianz", "police")  # zeroed n-grams are shared
    assert doc["pairs"][1]["score"] == pytest.approx(expected, abs=1e-6)
    code, stdout, _ = run_cli("similarity", damaged, "--pairs", pairs, "-q")
    assert code == 0 and "3 with words composed from subwords (*)" in stdout and "with composed words Spearman" in stdout
    plain = wvtool.save(Vectors(lee.words, lee.vectors), tmp_path / "plain.wv")  # word-only: as before
    code, stdout, _ = run_cli("similarity", plain, "--pairs", pairs, "--json", "-q")
    doc = json.loads(stdout)
    # one entry shape: a word-only table composes nothing
    assert code == 0 and "composed" not in doc and all(p["composed"] == [] for p in doc["pairs"])
    assert doc["pairs_unknown"] == 4 and doc["pairs_used"] == 2 and doc["pairs"][2]["unknown"] == ["policez", "peoplez"]
    code, stdout, _ = run_cli("similarity", plain, "--pairs", pairs, "-q")
    assert code == 0 and "composed" not in stdout and "*" not in stdout
