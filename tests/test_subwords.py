"""fastText's n-grams and hash (checked against gensim's port), and subword tables (Vectors + Subwords)."""

import numpy as np
import pytest
from gensim.models.fasttext import ft_ngram_hashes
from gensim.models.fasttext_inner import compute_ngrams_bytes, ft_hash_bytes

from wvtool import ConfigError, UnknownWordError, Vectors
from wvtool.subwords import (
    EOS,
    Subwords,
    char_ngrams,
    compose_words,
    ngram_bytes,
    ngram_hash,
    subword_rows,
    vocab_buckets,
    word_buckets,
)

WORDS = ["hello", "a", "", "où", "naïve", "日本語", "Привет", "ß", "🙂x", "abcdefghij", "ab", "Zürich-Straße"]
SETTINGS = [(3, 6), (1, 3), (2, 4), (1, 1), (5, 5), (3, 0), (1, 8), (4, 4)]


def _plain_fnv1a(data: bytes) -> int:
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) % 2**32
    return h


def test_hash_hand_computed():
    assert ngram_hash(b"") == 2166136261
    assert ngram_hash(b"a") == 0xE40C292C  # the published FNV-1a test vector of "a"
    # a byte above 127 is XORed sign-extended (0xFFFFFFE9), unlike plain FNV-1a
    assert ngram_hash(b"\xe9") == (((2166136261 ^ 0xFFFFFFE9) * 16777619) % 2**32) == 0xEBF38B44
    assert _plain_fnv1a(b"\xe9") == 0x6C0B6C44 != ngram_hash(b"\xe9")
    assert ngram_hash(b"abc<>") == _plain_fnv1a(b"abc<>")  # ASCII: no difference


@pytest.mark.parametrize("word", WORDS)
def test_hash_equals_gensim_ft_hash_bytes(word):
    # gensim's ft_hash_bytes is the one that casts each byte through int8_t, as fastText does
    for g in ngram_bytes(word, 1, 6) + [word.encode()]:
        assert ngram_hash(g) == ft_hash_bytes(g)


def test_ngrams_by_hand():
    # "<ab>": '<' and '>' alone are never n-grams; start position first, then length
    assert char_ngrams("ab", 1, 3) == ["<a", "<ab", "a", "ab", "ab>", "b", "b>"]
    # the whole word "<ab>" (4 characters) is an n-gram when maxn allows it
    assert char_ngrams("ab", 3, 6) == ["<ab", "<ab>", "ab>"]
    assert char_ngrams("ab", 3, 3) == ["<ab", "ab>"]
    assert char_ngrams("where", 3, 3) == ["<wh", "whe", "her", "ere", "re>"]  # the paper's example
    # n-grams end on UTF-8 character boundaries: "ù" is 2 bytes but one character
    assert ngram_bytes("où", 1, 2) == [b"<o", b"o", "où".encode(), "ù".encode(), "ù>".encode()]
    assert char_ngrams("日本", 2, 2) == ["<日", "日本", "本>"]
    assert char_ngrams("hello", 3, 0) == [] and char_ngrams("", 3, 6) == []


@pytest.mark.parametrize("minn, maxn", SETTINGS)
def test_ngrams_and_buckets_equal_gensim(minn, maxn):
    for w in WORDS:
        assert ngram_bytes(w, minn, maxn) == compute_ngrams_bytes(w, minn, maxn)
        assert word_buckets(w, minn, maxn, 1009).tolist() == ft_ngram_hashes(w, minn, maxn, 1009)


@pytest.mark.parametrize("minn, maxn", SETTINGS)
def test_vocab_buckets_equal_one_word_at_a_time(minn, maxn):
    words = WORDS + [EOS, "x" * 40, "\u00e9" * 7]
    offsets, ids = vocab_buckets(words, minn, maxn, 97, chunk=5)  # several chunks
    assert offsets.dtype == np.int64 and ids.dtype == np.int64 and offsets[0] == 0
    for i, w in enumerate(words):
        assert ids[offsets[i] : offsets[i + 1]].tolist() == word_buckets(w, minn, maxn, 97).tolist()
    assert offsets[words.index(EOS) + 1] == offsets[words.index(EOS)]  # fastText gives </s> no n-grams
    assert ids.size == 0 if maxn == 0 else ids.max() < 97


def test_vocab_buckets_other_encoding():
    words = ["který", "žluťoučký", "kůň"]
    offsets, ids = vocab_buckets(words, 2, 4, 1000, "cp852")
    for i, w in enumerate(words):
        expected = [ngram_hash(g) % 1000 for g in ngram_bytes(w, 2, 4, "cp852")]
        assert ids[offsets[i] : offsets[i + 1]].tolist() == expected
    assert ids.tolist() != vocab_buckets(words, 2, 4, 1000)[1].tolist()


def test_subword_rows_layout():
    words = ["ab", EOS, "où"]
    offsets, rows = subword_rows(words, 1, 3, 50)
    for i, w in enumerate(words):
        r = rows[offsets[i] : offsets[i + 1]]
        assert r[0] == i
        assert (r[1:] - len(words)).tolist() == word_buckets(w, 1, 3, 50).tolist()
    assert offsets[2] - offsets[1] == 1  # </s>: its own row only
    off0, rows0 = subword_rows(words, 3, 0, 0)
    assert off0.tolist() == [0, 1, 2, 3] and rows0.tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    "minn, maxn, bucket, fragment",
    [(5, 3, 10, "minn=5 is greater than maxn=3"), (3, 6, 0, "bucket=0"), (-1, 3, 5, "minn=-1"), (1, 2, 2.5, "bucket")],
)
def test_bad_settings(minn, maxn, bucket, fragment):
    with pytest.raises(ConfigError, match=fragment):
        Subwords(minn, maxn, bucket, np.zeros((3, 2), np.float32))


def test_ngram_matrix_shape_checked():
    with pytest.raises(ConfigError, match="bucket=7"):
        Subwords(3, 6, 7, np.zeros((6, 4)))


# --- subword tables ---------------------------------------------------------------------


def _table(bucket=64, dim=6, seed=0):
    rng = np.random.default_rng(seed)
    words = ["apple", "apples", "banana", "café", EOS]
    own = rng.normal(size=(len(words), dim)).astype(np.float32)
    ngrams = rng.normal(size=(bucket, dim)).astype(np.float32)
    composed = np.stack(
        [
            (own[i] + ngrams[word_buckets(w, 3, 6, bucket)].sum(0)) / (1 + len(word_buckets(w, 3, 6, bucket)))
            for i, w in enumerate(words)
        ]
    )
    sw = Subwords(3, 6, bucket, ngrams)
    return Vectors(words, composed, np.arange(5, 0, -1), subwords=sw, word_rows=own), ngrams


def test_vector_composes_unseen_words():
    kv, ngrams = _table()
    ids = word_buckets("applesauce", 3, 6, 64)
    np.testing.assert_allclose(kv.vector("applesauce"), ngrams[ids].mean(axis=0), rtol=1e-6)
    assert kv.is_composed("applesauce") and kv.has_vector("applesauce")
    assert not kv.is_composed("apple") and "applesauce" not in kv
    np.testing.assert_array_equal(kv.vector("apple"), kv["apple"])
    with pytest.raises(UnknownWordError):
        kv["applesauce"]  # [] stays in-vocabulary only
    vecs, composed, missing = kv.lookup(["apple", "applesauce", "café"])
    assert composed.tolist() == [False, True, False] and not missing.any()
    np.testing.assert_allclose(vecs[1], kv.vector("applesauce"), rtol=1e-6)
    np.testing.assert_array_equal(vecs[2], kv["café"])


def test_lookup_many_equals_one_at_a_time():
    kv, ngrams = _table()
    zeroed = ngrams.copy()
    zeroed[word_buckets("Apple", 3, 6, 64)] = 0
    for table in (Vectors(kv.words, kv.vectors, subwords=Subwords(3, 6, 64, zeroed)), kv.normalized()):
        words = ["apple", "Apple", "", "applesauce", "bananas", EOS, "日本語", "café"]
        got = table.lookup(words, missing="zero")
        for j, w in enumerate(words):
            assert got.missing[j] == (not table.has_vector(w))
            assert got.composed[j] == table.is_composed(w)
            expected = table.vector(w) if table.has_vector(w) else np.zeros(6, np.float32)
            np.testing.assert_allclose(got.vectors[j], expected, rtol=1e-5, atol=1e-7)
        with pytest.raises(UnknownWordError) as e:
            table.lookup(words)
        assert e.value.word == next(w for w in words if not table.has_vector(w))
    plain = Vectors(["a"], np.ones((1, 2)))
    assert plain.lookup(["a", "b"], missing="zero").missing.tolist() == [False, True]
    with pytest.raises(ConfigError, match="missing='skip'"):
        plain.lookup(["a"], missing="skip")


def test_word_without_known_ngrams_is_unknown():
    kv, ngrams = _table()
    # "" has no n-gram with minn=3 ("<>" is 2 characters): the unknown-word error, with suggestions
    with pytest.raises(UnknownWordError):
        kv.vector("")
    zeroed = ngrams.copy()
    zeroed[word_buckets("Apple", 3, 6, 64)] = 0  # every n-gram row of "Apple" never trained
    kv2 = Vectors(kv.words, kv.vectors, subwords=Subwords(3, 6, 64, zeroed))
    assert not kv2.has_vector("Apple")
    with pytest.raises(UnknownWordError, match="did you mean 'apple'"):
        kv2.vector("Apple")
    with pytest.raises(UnknownWordError):
        Vectors(["a"], np.ones((1, 2))).vector("b")  # word-only tables never compose


def test_head_subset_normalized_equals_keep_subwords():
    kv, ngrams = _table()
    h = kv.head(2)
    assert h.subwords is kv.subwords and h.word_rows.shape == (2, 6)
    np.testing.assert_array_equal(h.vector("banana"), kv.subwords.compose("banana"))  # now outside: composed
    assert h.is_composed("banana")
    s = kv.subset(["café", "apple"])
    np.testing.assert_array_equal(s.word_rows, kv.word_rows[[3, 0]])
    np.testing.assert_array_equal(s.vector("applesauce"), kv.vector("applesauce"))
    n = kv.normalized()
    assert n.word_rows is None
    assert abs(np.linalg.norm(n.vector("applesauce")) - 1) < 1e-6
    np.testing.assert_allclose(
        n.vector("applesauce"), kv.vector("applesauce") / np.linalg.norm(kv.vector("applesauce")), rtol=1e-6
    )
    assert kv.equals(_table()[0]) and not kv.equals(_table(seed=1)[0])
    plain = Vectors(kv.words, kv.vectors, kv.counts)
    assert not kv.equals(plain) and not plain.equals(kv)
    assert "bucket=64" in repr(kv)
    d = kv.subwords.describe()
    assert (d["minn"], d["maxn"], d["bucket"], d["ngram_matrix_bytes"]) == (3, 6, 64, 64 * 6 * 4)


def test_subword_part_checked():
    kv, ngrams = _table()
    with pytest.raises(ConfigError, match="6 dimensions but the vectors have 3"):
        Vectors(["a"], np.ones((1, 3)), subwords=kv.subwords)
    with pytest.raises(ConfigError, match="word_rows"):
        Vectors(["a"], np.ones((1, 6)), subwords=kv.subwords, word_rows=np.ones((2, 6)))
    with pytest.raises(ConfigError, match="pass subwords"):
        Vectors(["a"], np.ones((1, 6)), word_rows=np.ones((1, 6)))
    with pytest.raises(ValueError):
        kv.subwords.ngrams[0, 0] = 1


def test_compose_words_equals_plain_numpy():
    rng = np.random.default_rng(3)
    words = WORDS + [EOS] + [f"w{i}" for i in range(40)]
    own = rng.normal(size=(len(words), 5)).astype(np.float32)
    sw = Subwords(2, 5, 31, rng.normal(size=(31, 5)).astype(np.float32))
    got = compose_words(words, own, sw)
    for i, w in enumerate(words):
        ids = word_buckets(w, 2, 5, 31)
        np.testing.assert_allclose(got[i], (own[i] + sw.ngrams[ids].sum(0)) / (1 + len(ids)), rtol=1e-5, atol=1e-6)
    assert np.array_equal(got[words.index(EOS)], own[words.index(EOS)])  # </s>: its own row only


def test_a_hand_built_ngram_matrix_is_copied_and_checked():
    rng = np.random.default_rng(5)
    ngrams = rng.normal(size=(7, 3)).astype(np.float32)
    original = ngrams.copy()
    sw = Subwords(3, 6, 7, ngrams)
    ngrams[:] = 0  # the caller's array: the Subwords keep their own copy
    np.testing.assert_array_equal(sw.ngrams, original)
    with pytest.raises(ValueError):
        sw.ngrams.flags.writeable = True
    assert np.shares_memory(Subwords(3, 6, 7, sw.ngrams).ngrams, sw.ngrams)  # read-only: shared
    original[4, 2] = np.inf
    with pytest.raises(ConfigError, match=r"^ngrams: row 4 of the n-gram matrix holds inf at column 2; give finite numbers$"):
        Subwords(3, 6, 7, original)
    with pytest.raises(ConfigError, match=r"^ngrams holds complex numbers"):
        Subwords(3, 6, 7, np.zeros((7, 3), dtype=complex))


def test_the_ngram_part_is_immutable_as_a_table_is():
    sw = Subwords(3, 6, 7, np.ones((7, 3), dtype=np.float32), training={"ws": 5, "epoch": 5})
    for name, value in (("minn", 2), ("maxn", 4), ("bucket", 9), ("encoding", "latin-1"), ("normalize", True),
                        ("training", None), ("ngrams", None)):
        with pytest.raises(AttributeError):
            setattr(sw, name, value)
    sw.training["ws"] = 99  # a copy: the part's own record is unchanged
    assert sw.training == {"ws": 5, "epoch": 5}
    unit = sw.with_normalize()
    assert unit.normalize and not sw.normalize and (unit.minn, unit.maxn, unit.bucket) == (3, 6, 7)
    np.testing.assert_allclose(np.linalg.norm(unit.compose("where")), 1.0, rtol=1e-6)


def test_an_unknown_encoding_is_refused_when_the_part_is_built():
    with pytest.raises(ConfigError, match=r"^unknown encoding='utf-9' \(the n-grams are hashed from the bytes of this text encoding\); use a Python codec"):
        Subwords(3, 6, 7, np.ones((7, 3), dtype=np.float32), encoding="utf-9")
    with pytest.raises(ConfigError, match=r"^unknown encoding=None"):
        Subwords(3, 6, 7, np.ones((7, 3), dtype=np.float32), encoding=None)
