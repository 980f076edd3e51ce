"""wvtool.query: neighbours, analogies and similarities, cross-checked against gensim's most_similar."""

from __future__ import annotations

import numpy as np
import pytest
from gensim_tables import gensim_table, mixed_case_table

import wvtool
from wvtool import ConfigError, UnknownWordError, Vectors
from wvtool.query import analogy, most_similar, neighbors, similarity, similarity_pairs, top_k


def _frequent(vec, n=12, start=50):
    return [w for w in vec.words[start : start + 200] if len(w) > 3][:n]


def _assert_same_ranking(ours, theirs):
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-5)


@pytest.mark.parametrize("restrict", [None, 700])
def test_neighbors_match_gensim_most_similar(restrict):
    kv, vec = gensim_table()
    for w in _frequent(vec) + [vec.words[-1]]:  # the last word lies outside the restriction
        _assert_same_ranking(neighbors(vec, w, 10, restrict=restrict), kv.most_similar(w, topn=10, restrict_vocab=restrict))


def test_neighbors_on_mixed_case_table_match_gensim():
    kv, vec = mixed_case_table()
    for w in [vec.words[0], vec.words[4], "The" if "The" in vec else vec.words[8]]:
        ours = neighbors(vec, w, 10)
        _assert_same_ranking(ours, kv.most_similar(w, topn=10))
        assert w not in [x for x, _ in ours]


@pytest.mark.parametrize("restrict", [None, 900])
def test_analogy_add_matches_gensim(restrict):
    kv, vec = gensim_table()
    ws = _frequent(vec, 9, start=100)
    for a, b, c in zip(ws[0::3], ws[1::3], ws[2::3], strict=True):
        ours = analogy(vec, a, b, c, k=10, restrict=restrict)
        _assert_same_ranking(ours, kv.most_similar(positive=[b, c], negative=[a], topn=10, restrict_vocab=restrict))
        assert not {a, b, c} & {w for w, _ in ours}


def test_analogy_mul_matches_gensim_cosmul_with_its_epsilon():
    kv, vec = gensim_table()
    ws = _frequent(vec, 9, start=30)
    for a, b, c in zip(ws[0::3], ws[1::3], ws[2::3], strict=True):
        ours = analogy(vec, a, b, c, k=10, method="mul", epsilon=1e-6)
        _assert_same_ranking(ours, kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=10))


def test_analogy_mul_default_epsilon_is_levy_goldberg():
    _, vec = gensim_table()
    a, b, c = _frequent(vec, 3, start=60)
    u = vec.unit.astype(np.float64)
    cos = (u @ u[[vec.index[a], vec.index[b], vec.index[c]]].T + 1) / 2
    score = cos[:, 1] * cos[:, 2] / (cos[:, 0] + 1e-3)
    score[[vec.index[w] for w in (a, b, c)]] = -np.inf
    expected = np.argsort(-score)[:5]
    ours = analogy(vec, a, b, c, method="mul")
    assert [w for w, _ in ours] == [vec.words[i] for i in expected]
    np.testing.assert_allclose([s for _, s in ours], score[expected], rtol=1e-5)


def test_toy_analogy_and_exclusion():
    # man:king :: woman:queen built into the geometry; "king" itself is closest to the query and must be skipped.
    words = ["man", "woman", "king", "queen", "apple"]
    v = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [1, 1, 1, 0], [0, 0, 0, 1]], dtype=np.float32)
    vec = Vectors(words, v)
    assert analogy(vec, "man", "king", "woman", k=1)[0][0] == "queen"
    assert analogy(vec, "man", "king", "woman", k=1, method="mul")[0][0] == "queen"
    res = analogy(vec, "man", "king", "woman", k=10)
    assert [w for w, _ in res] == ["queen", "apple"]  # only two words are not query words
    nb = neighbors(vec, "king", k=10)
    assert len(nb) == 4 and "king" not in [w for w, _ in nb]
    assert [s for _, s in nb] == sorted((s for _, s in nb), reverse=True)


def test_restrict_limits_answers():
    _, vec = gensim_table()
    w = vec.words[3]
    res = neighbors(vec, w, k=20, restrict=100)
    assert all(vec.index[x] < 100 for x, _ in res) and len(res) == 20
    assert len(neighbors(vec, vec.words[0], k=50, restrict=5)) == 4


def test_similarity_matches_gensim():
    kv, vec = gensim_table()
    ws = _frequent(vec, 6)
    for w1, w2 in zip(ws[:-1], ws[1:], strict=True):
        assert similarity(vec, w1, w2) == pytest.approx(float(kv.similarity(w1, w2)), abs=1e-6)
    assert similarity(vec, ws[0], ws[0]) == pytest.approx(1.0, abs=1e-6)


def test_similarity_pairs_unknown_and_scores():
    _, vec = gensim_table()
    w1, w2 = vec.words[10], vec.words[20]
    out = similarity_pairs(vec, [(w1, w2), (w1, "zzqqx", 3.0), ("qq1", "qq1", None)])
    assert out[0]["similarity"] == pytest.approx(similarity(vec, w1, w2)) and out[0]["unknown"] == []
    assert out[1] == {"word1": w1, "word2": "zzqqx", "similarity": None, "unknown": ["zzqqx"], "score": 3.0}
    assert out[2]["unknown"] == ["qq1"] and out[2]["score"] is None
    assert similarity_pairs(vec, []) == []
    with pytest.raises(ConfigError):
        similarity_pairs(vec, [("only-one",)])


def test_unknown_words_raise_with_suggestions(small_vectors):
    with pytest.raises(UnknownWordError, match="did you mean .*'w1'") as e:
        neighbors(small_vectors, "w1O")
    assert e.value.word == "w1O"
    with pytest.raises(UnknownWordError, match="'cafe'"):
        analogy(small_vectors, "w1", "cafe", "w2")
    with pytest.raises(UnknownWordError, match="'Zurich'.*'Zürich'"):
        similarity(small_vectors, "w1", "Zurich")


def test_bad_arguments(small_vectors):
    with pytest.raises(ConfigError, match="k"):
        neighbors(small_vectors, "w1", k=0)
    with pytest.raises(ConfigError, match="restrict"):
        neighbors(small_vectors, "w1", restrict=0)
    with pytest.raises(ConfigError, match="method"):
        analogy(small_vectors, "w1", "w2", "w3", method="avg")


def test_zero_vector_gives_zero_similarity():
    vec = Vectors(["a", "b", "z"], np.array([[1, 0], [0.6, 0.8], [0, 0]], dtype=np.float32))
    assert similarity(vec, "a", "z") == 0.0
    assert neighbors(vec, "a", k=2) == [("b", pytest.approx(0.6)), ("z", 0.0)]


def test_top_k_orders_and_handles_small_rows():
    s = np.array([[0.1, 0.9, -np.inf, 0.5], [3.0, 2.0, 1.0, 0.0]], dtype=np.float32)
    assert top_k(s, 2).tolist() == [[1, 3], [0, 1]]
    assert top_k(s, 10).tolist() == [[1, 3, 0, 2], [0, 1, 2, 3]]
    assert top_k(s[0], 2).tolist() == [[1, 3]] and top_k(s[0], 9).tolist() == [[1, 3, 0, 2]]
    big = np.random.default_rng(0).normal(size=1000).astype(np.float32)
    assert top_k(big, 7)[0].tolist() == np.argsort(-big)[:7].tolist()


def test_public_names():
    assert wvtool.neighbors is neighbors and wvtool.analogy is analogy and wvtool.similarity_pairs is similarity_pairs


@pytest.mark.parametrize("restrict", [None, 800])
def test_most_similar_of_combinations_matches_gensim(restrict):
    kv, vec = gensim_table()
    w = _frequent(vec, 12)
    table = [  # (positive, negative)
        ([w[0]], []),
        ([w[0], w[1]], []),
        ([w[1], w[2]], [w[0]]),
        ([w[3]], [w[4]]),
        ([w[5], w[6], w[7]], [w[8], w[9]]),
        ([], [w[10]]),
        ([(w[0], 2.0), w[1]], [(w[2], 0.5)]),
        ([w[3], vec.words[-1]], [w[4]]),  # a query word outside the restriction
    ]
    for pos, neg in table:
        ours = wvtool.most_similar(vec, positive=pos, negative=neg, k=10, restrict=restrict)
        _assert_same_ranking(ours, kv.most_similar(positive=pos, negative=neg, topn=10, restrict_vocab=restrict))
    # one word: the neighbours; b + c - a: the 3CosAdd analogy
    _assert_same_ranking(wvtool.most_similar(vec, w[0]), neighbors(vec, w[0]))
    _assert_same_ranking(wvtool.most_similar(vec, [w[1], w[2]], [w[0]], k=5), analogy(vec, w[0], w[1], w[2], k=5))


def test_doesnt_match_and_n_similarity_match_gensim():
    kv, vec = gensim_table()
    w = _frequent(vec, 40)
    rng = np.random.default_rng(3)
    for _ in range(15):
        # three words or more: with two, both are equally far from their mean (a tie broken by rounding)
        group = [w[i] for i in rng.choice(len(w), size=int(rng.integers(3, 7)), replace=False)]
        assert wvtool.doesnt_match(vec, group) == kv.doesnt_match(group)
        ranked = kv.rank_by_centrality(group)
        ours = wvtool.query.centrality(vec, group)
        assert [x for x, _ in ours] == [x for _, x in ranked]
        np.testing.assert_allclose([c for _, c in ours], [c for c, _ in ranked], atol=1e-5)
        other = [w[i] for i in rng.choice(len(w), size=int(rng.integers(1, 5)), replace=False)]
        assert wvtool.n_similarity(vec, group, other) == pytest.approx(float(kv.n_similarity(group, other)), abs=1e-5)
    assert wvtool.n_similarity(vec, [w[0]], [w[1]]) == pytest.approx(wvtool.similarity(vec, w[0], w[1]), abs=1e-6)


def test_combination_queries_reject_bad_input():
    _, vec = gensim_table()
    with pytest.raises(ConfigError, match="at least one word"):
        wvtool.most_similar(vec)
    with pytest.raises(ConfigError, match="a word or"):
        wvtool.most_similar(vec, positive=[3])
    with pytest.raises(UnknownWordError):
        wvtool.most_similar(vec, positive=[vec.words[0]], negative=["zzqxnotaword"])
    with pytest.raises(UnknownWordError):
        wvtool.doesnt_match(vec, [vec.words[0], "zzqxnotaword"])
    with pytest.raises(ConfigError, match="words1"):
        wvtool.n_similarity(vec, [], [vec.words[0]])
    with pytest.raises(ConfigError, match="words"):
        wvtool.doesnt_match(vec, [])


def test_dir_lists_only_the_public_api():
    names = dir(wvtool)
    assert names == sorted([*wvtool.__all__, "__version__"])
    for name in wvtool.__all__:
        assert getattr(wvtool, name) is not None
    assert not {"annotations", "importlib", "errors", "vectors"} & set(names)
    assert {"train", "most_similar", "doesnt_match", "n_similarity", "read_corpus", "tokenize"} <= set(names)


def test_a_zero_query_vector_is_an_error_not_a_ranking_at_cosine_zero():
    from wvtool.errors import QueryError

    vecs = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0], [1, 1, 0]], dtype=np.float32)
    vec = Vectors(["king", "queen", "pad", "royal"], vecs)
    with pytest.raises(QueryError, match=r"^the query's vector is zero: king - king cancels out"):
        most_similar(vec, ["king"], ["king"], 2)
    with pytest.raises(QueryError, match=r"^the query's vector is zero: 'pad' has a zero vector"):
        neighbors(vec, "pad", 2)
    with pytest.raises(QueryError, match=r"zero: 0\.5\*king - 0\.5\*king cancels out"):
        most_similar(vec, [("king", 0.5), ("king", -0.5)])
    assert [w for w, _ in neighbors(vec, "king", 1)] == ["royal"]  # a word with a vector is answered as before
    assert most_similar(vec, ["king", "queen"], ["pad"], 1)[0][0] == "royal"  # a zero word in a non-zero query


@pytest.mark.parametrize(
    "ask, message",
    [
        (lambda kv: neighbors(kv, 5), "word must be a str (a word), got int (to get row 5, use kv.vectors[5])"),
        (lambda kv: similarity(kv, "w1", None), "w2 must be a str (a word), got NoneType"),
        (lambda kv: similarity(kv, 1.5, "w1"), "w1 must be a str (a word), got float"),
        (lambda kv: analogy(kv, None, "w1", "w2"), "a must be a str (a word), got NoneType"),
        (lambda kv: analogy(kv, "w1", "w2", ["w3"]), "c must be a str (a word), got list (for several words use "
                                                      "kv.lookup(words) or kv.indices(words))"),
    ],
)
def test_a_query_word_that_is_not_a_str_names_its_parameter(small_vectors, ask, message):
    with pytest.raises(ConfigError) as e:
        ask(small_vectors)
    assert str(e.value) == message


def test_similarity_pairs_refuses_a_str_for_a_pair():
    kv = Vectors(["ab", "a", "b"], np.eye(3, dtype=np.float32))
    with pytest.raises(ConfigError, match=r"^each item of pairs must be \(word1, word2\).*got 'ab'$"):
        similarity_pairs(kv, ["ab"])
    with pytest.raises(ConfigError, match=r"^pairs must be a list of \(word1, word2\) pairs, got the str 'ab'$"):
        similarity_pairs(kv, "ab")
    for item in [(1, 2), ("a", None, 3.0), (b"a", "b")]:  # not looked up as str(word): refused as the other queries do
        with pytest.raises(ConfigError, match=r"^the words of each item of pairs must be strings, got "):
            similarity_pairs(kv, [("a", "b"), item])
    assert similarity_pairs(kv, [("a", "b")])[0]["similarity"] == 0.0


# --- argument checks: one-line ConfigErrors naming the parameter ------------------------------


@pytest.mark.parametrize("epsilon", [None, float("nan"), float("inf"), -0.5, -1, 0, 1.5, 1e308, "x", True])
def test_analogy_mul_rejects_a_bad_epsilon(small_vectors, epsilon):
    with pytest.raises(ConfigError, match=r"^epsilon=.* (must be a number|is out of range).*greater than 0"):
        analogy(small_vectors, "w1", "w2", "w3", method="mul", epsilon=epsilon)


def test_epsilon_is_checked_by_query_options_and_used_from_them(small_vectors):
    with pytest.raises(ConfigError, match="epsilon"):
        wvtool.QueryOptions(method="mul", epsilon=-1)
    with pytest.raises(ConfigError, match="epsilon"):
        analogy(small_vectors, "w1", "w2", "w3", epsilon=None)  # checked whatever the method
    opts = wvtool.QueryOptions(k=5, method="mul", epsilon=0.5)
    assert analogy(small_vectors, "w1", "w2", "w3", options=opts) == analogy(
        small_vectors, "w1", "w2", "w3", k=5, method="mul", epsilon=0.5)
    assert analogy(small_vectors, "w1", "w2", "w3", k=5, method="mul", epsilon=0.5) != analogy(
        small_vectors, "w1", "w2", "w3", k=5, method="mul", epsilon=1e-3)


QUERIES = {
    "neighbors": lambda v: wvtool.neighbors(v, "w1"),
    "analogy": lambda v: wvtool.analogy(v, "w1", "w2", "w3"),
    "similarity": lambda v: wvtool.similarity(v, "w1", "w2"),
    "most_similar": lambda v: wvtool.most_similar(v, positive=["w1"]),
    "doesnt_match": lambda v: wvtool.doesnt_match(v, ["w1", "w2", "w3"]),
    "n_similarity": lambda v: wvtool.n_similarity(v, ["w1"], ["w2"]),
    "similarity_pairs": lambda v: wvtool.similarity_pairs(v, [("w1", "w2")]),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_functions_want_a_table_not_a_path(tmp_path, name):
    from pathlib import Path

    for bad, kind in (("vectors.wv", "str"), (Path("vectors.wv"), "Path")):
        with pytest.raises(ConfigError, match=rf"^vectors must be a vector table, not a path \(.*{kind}.*wvtool\.load"):
            QUERIES[name](bad)
    with pytest.raises(ConfigError, match=r"^vectors must be a vector table .*not NoneType$"):
        QUERIES[name](None)


def test_most_similar_treats_none_as_no_words(small_vectors):
    assert most_similar(small_vectors, positive=["w1"], negative=None) == most_similar(small_vectors, positive=["w1"])
    assert most_similar(small_vectors, positive=None, negative=["w1"]) == most_similar(small_vectors, negative=["w1"])
    with pytest.raises(ConfigError, match="at least one word"):
        most_similar(small_vectors, positive=None, negative=None)
    with pytest.raises(ConfigError, match=r"^positive must be a word or a list"):
        most_similar(small_vectors, positive=5)


def test_bad_word_lists_and_pairs_name_the_parameter(small_vectors):
    with pytest.raises(ConfigError, match=r"^words must be a list of words, got NoneType"):
        wvtool.doesnt_match(small_vectors, None)
    with pytest.raises(ConfigError, match=r"^words1 must be a list"):
        wvtool.n_similarity(small_vectors, None, ["w1"])
    with pytest.raises(ConfigError, match=r"^words2 must be a list"):
        wvtool.n_similarity(small_vectors, ["w1"], 3)
    with pytest.raises(ConfigError, match=r"^pairs must be a list .*not NoneType"):
        similarity_pairs(small_vectors, None)
    with pytest.raises(ConfigError, match=r"^each item of pairs must be \(word1, word2\).*got 5$"):
        similarity_pairs(small_vectors, [5])
    with pytest.raises(ConfigError, match=r"^the score of each item of pairs must be a number"):
        similarity_pairs(small_vectors, [("w1", "w2", "high")])
    assert similarity_pairs(small_vectors, [("w1", "w2", "7.5")])[0]["score"] == 7.5


def test_bad_options_and_words_name_the_parameter(small_vectors):
    with pytest.raises(ConfigError, match=r"^options must be a QueryOptions.*not dict"):
        neighbors(small_vectors, "w1", options={"k": 3})
    with pytest.raises(ConfigError, match=r"^options must be a QueryOptions"):
        analogy(small_vectors, "w1", "w2", "w3", options={"k": 3})
    with pytest.raises(ConfigError, match=r"^word must be a str \(a word\), got int"):
        neighbors(small_vectors, 5)
    with pytest.raises(ConfigError, match=r"^c must be a str"):
        analogy(small_vectors, "w1", "w2", None)
    with pytest.raises(ConfigError, match=r"^w2 must be a str"):
        similarity(small_vectors, "w1", None)


def test_query_error_is_exported_and_is_what_a_zero_query_raises(small_vectors):
    from wvtool.errors import QueryError

    assert wvtool.QueryError is QueryError and "QueryError" in wvtool.__all__ and "QueryError" in dir(wvtool)
    assert issubclass(wvtool.QueryError, wvtool.ConfigError)
    with pytest.raises(wvtool.QueryError, match="cancels out"):
        most_similar(small_vectors, positive=["w1"], negative=["w1"])


def test_concurrent_queries_on_a_fresh_table_answer_as_one_thread():
    import sys
    import threading

    _, vec = gensim_table()
    words = _frequent(vec, 6)

    def work(v):
        return ([neighbors(v, w, 5) for w in words], analogy(v, *words[:3]), analogy(v, *words[3:], method="mul"),
                similarity_pairs(v, [(words[0], words[1])]))

    expected = work(Vectors(vec.words, vec.vectors.copy()))
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible while the caches are built
    try:
        for _ in range(3):
            fresh = Vectors(vec.words, vec.vectors.copy(), check_unique=False)  # no word index, norms or unit rows yet
            barrier, out = threading.Barrier(8), [None] * 8

            def run(i, table=fresh, barrier=barrier, out=out):
                barrier.wait()
                out[i] = work(table)

            threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert out == [expected] * 8
    finally:
        sys.setswitchinterval(old)
