import warnings

import numpy as np
import pytest

from wvtool import ConfigError, UnknownWordError, Vectors


def test_basic_protocol(small_vectors):
    kv = small_vectors
    assert len(kv) == 50
    assert kv.dim == 8
    assert "café" in kv and "cafe" not in kv
    assert list(kv)[:3] == ["w0", "w1", "w2"]
    assert kv.index["日本"] == 47
    np.testing.assert_array_equal(kv["w3"], kv.vectors[3])
    assert kv.vectors.dtype == np.float32 and kv.vectors.flags.c_contiguous


def test_accessors_are_read_only(small_vectors):
    kv = small_vectors
    with pytest.raises(ValueError):
        kv.vectors[0, 0] = 1.0
    with pytest.raises(ValueError):
        kv["w1"][0] = 1.0
    with pytest.raises(ValueError):
        kv.unit[0, 0] = 1.0
    with pytest.raises(TypeError):
        kv.index["new"] = 3  # type: ignore[index]


def test_constructor_copies_to_float32_contiguous():
    data = np.arange(12, dtype=np.float64).reshape(3, 4)[:, ::-1]
    kv = Vectors(["a", "b", "c"], data)
    assert kv.vectors.dtype == np.float32 and kv.vectors.flags.c_contiguous
    np.testing.assert_array_equal(kv["b"], [7, 6, 5, 4])


@pytest.mark.parametrize(
    "words, shape, counts, fragment",
    [
        (["a", "b"], (3, 2), None, "2 words but 3 vector rows"),
        (["a", "a"], (2, 2), None, "duplicate word 'a'"),
        (["a", "b"], (2,), None, "2-D array"),
        (["a", "b"], (2, 2), [1, 2, 3], "one entry per word"),
    ],
)
def test_constructor_rejects_bad_input(words, shape, counts, fragment):
    with pytest.raises(ConfigError, match=fragment):
        Vectors(words, np.zeros(shape, dtype=np.float32), counts)


def test_unit_rows_are_normalised_and_cached(small_vectors):
    kv = small_vectors
    u = kv.unit
    np.testing.assert_allclose(np.linalg.norm(u, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(u[5], kv.vectors[5] / np.linalg.norm(kv.vectors[5]), rtol=1e-6)
    assert np.shares_memory(kv.unit, u)


def test_zero_vector_stays_zero():
    kv = Vectors(["a", "b"], np.array([[0, 0], [3, 4]], dtype=np.float32))
    np.testing.assert_array_equal(kv.unit[0], [0, 0])
    np.testing.assert_allclose(kv.unit[1], [0.6, 0.8])
    np.testing.assert_allclose(kv.norms(), [0, 5])


def test_unknown_word_suggests_close_spellings(small_vectors):
    with pytest.raises(UnknownWordError) as info:
        small_vectors["cafe"]
    assert "café" in info.value.suggestions
    assert "'cafe' is not in the vocabulary (50 words)" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_unknown_word_suggests_case_variant():
    kv = Vectors(["paris", "london"], np.eye(2, dtype=np.float32))
    with pytest.raises(UnknownWordError) as info:
        kv.get_index("Paris")
    assert info.value.suggestions[0] == "paris"


def test_close_spellings_are_found_whatever_the_case():
    kv = Vectors(["ing", "igg", "king", "Berlin"], np.eye(4, dtype=np.float32))
    assert kv.suggest("Kingg")[0] == "king"  # compared without case, not 'ing' or 'igg' first
    assert kv.suggest("berlinn") == ["Berlin"]  # given as the table has it


def test_unknown_word_without_suggestion_says_what_to_check():
    kv = Vectors(["paris", "london"], np.eye(2, dtype=np.float32))
    with pytest.raises(UnknownWordError, match="check the spelling"):
        kv["xyzzy"]


def test_head_is_a_view(small_vectors):
    h = small_vectors.head(10)
    assert len(h) == 10 and h.words == small_vectors.words[:10]
    assert np.shares_memory(h.vectors, small_vectors.vectors)
    np.testing.assert_array_equal(h.counts, small_vectors.counts[:10])
    assert "w12" not in h
    assert small_vectors.head(1000) is small_vectors


def test_subset_and_equals(small_vectors):
    s = small_vectors.subset(["w3", "café", "w3"])
    assert s.words == ("w3", "café")
    np.testing.assert_array_equal(s.vectors[1], small_vectors["café"])
    assert s.counts.tolist() == [997, 955]
    assert small_vectors.equals(Vectors(small_vectors.words, small_vectors.vectors.copy()))
    assert not small_vectors.equals(s)
    # the same shape and words but one value one float32 step away; two words swapped; one renamed
    nudged = small_vectors.vectors.copy()
    nudged[-1, -1] = np.nextafter(nudged[-1, -1], np.float32(np.inf))
    assert not small_vectors.equals(Vectors(small_vectors.words, nudged))
    words = list(small_vectors.words)
    assert not small_vectors.equals(Vectors([words[1], words[0], *words[2:]], small_vectors.vectors.copy()))
    assert not small_vectors.equals(Vectors([*words[:-1], words[-1] + "x"], small_vectors.vectors.copy()))
    with pytest.raises(UnknownWordError):
        small_vectors.subset(["nope"])


def test_deferred_index_is_built_on_first_lookup_and_still_catches_duplicates():
    kv = Vectors(["a", "b", "c"], np.eye(3, dtype=np.float32), check_unique=False)
    assert kv._index is None
    assert kv.get_index("c") == 2 and "b" in kv
    bad = Vectors(["a", "b", "a"], np.eye(3, dtype=np.float32), source="x.wv", check_unique=False)
    with pytest.raises(ConfigError, match="x.wv: duplicate word 'a'"):
        bad["b"]


def test_cosines_and_unit_rows_agree_with_the_unit_matrix(small_vectors):
    fresh = Vectors(small_vectors.words, small_vectors.vectors.copy())
    q = np.random.default_rng(1).normal(size=(3, 8)).astype(np.float32)
    expected = small_vectors.unit @ (q / np.linalg.norm(q, axis=1, keepdims=True)).T
    got = fresh.cosines(q)
    assert fresh._unit is None  # scored from the raw rows and cached norms, no n x dim copy
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fresh.cosines(q[0], n=10), expected[:10, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fresh.unit_rows([4, 0, 4]), small_vectors.unit[[4, 0, 4]], rtol=1e-6)
    # once the unit matrix exists it is used, with the same results
    assert fresh.unit.shape == (50, 8) and fresh._unit is not None
    np.testing.assert_allclose(fresh.cosines(q), got, rtol=1e-5, atol=1e-6)


def test_cosines_with_zero_rows_and_zero_query():
    kv = Vectors(["a", "b"], np.array([[0, 0], [3, 4]], dtype=np.float32))
    np.testing.assert_allclose(kv.cosines(np.array([3, 4], dtype=np.float32)), [0, 1])
    np.testing.assert_array_equal(kv.cosines(np.zeros(2, dtype=np.float32)), [0, 0])
    np.testing.assert_array_equal(kv.unit_rows([0]), [[0, 0]])


def test_a_single_query_does_not_build_the_unit_matrix(small_vectors):
    import wvtool

    kv = Vectors(small_vectors.words, small_vectors.vectors.copy())
    best = wvtool.neighbors(kv, "w3", k=3)
    wvtool.analogy(kv, "w1", "w2", "w3", method="mul")
    wvtool.similarity(kv, "w1", "w2")
    assert kv._unit is None
    u = small_vectors.unit
    scores = u @ u[3]
    scores[3] = -np.inf
    assert [w for w, _ in best] == [small_vectors.words[i] for i in np.argsort(-scores)[:3]]


def test_output_rows_follow_the_words_they_belong_to():
    words = ["a", "b", "c", "d"]
    vecs = np.arange(12, dtype=np.float32).reshape(4, 3) + 1
    out = -vecs.astype(np.float64)  # converted to float32 like the vectors
    kv = Vectors(words, vecs, output_rows=out)
    assert kv.output_rows.dtype == np.float32 and not kv.output_rows.flags.writeable
    np.testing.assert_array_equal(kv.head(2).output_rows, -vecs[:2])
    np.testing.assert_array_equal(kv.subset(["d", "a"]).output_rows, -vecs[[3, 0]])
    assert kv.normalized().output_rows is None  # trained against the vectors as they were
    slim = kv.without_output_rows()
    assert slim.output_rows is None and kv.output_rows is not None and np.shares_memory(slim.vectors, kv.vectors)
    assert slim.words == kv.words and slim.without_output_rows() is slim
    assert Vectors(words, vecs).output_rows is None and Vectors(words, vecs).subset(["a"]).output_rows is None
    with pytest.raises(ConfigError, match=r"output_rows must have the vectors' shape \(4, 3\), got \(3, 3\)"):
        Vectors(words, vecs, output_rows=out[:3])


def test_the_training_record_stays_with_the_table():
    words = ["a", "b", "c"]
    record = {"model": 1, "dim": 2, "ws": 3}
    kv = Vectors(words, np.ones((3, 2)), training=record)
    record["ws"] = 9  # the table keeps its own copy, and hands out copies
    kv.training["dim"] = 7
    assert kv.training == {"model": 1, "dim": 2, "ws": 3}
    assert kv.head(2).training == kv.subset(["c"]).training == kv.normalized().training == kv.training
    assert Vectors(words, np.ones((3, 2))).training is None
    # what a fastText args block cannot hold is refused: it would be written to a .bin file
    for bad, message in [({"ws": "5"}, r"ws='5' is not a 32-bit"), ({"dim": 2**40}, "dim=1099511627776 is not"),
                         ({"t": float("nan")}, "t=nan is not a finite number"), ([1], "a list, not a dict")]:
        with pytest.raises(ConfigError, match=message):
            Vectors(words, np.ones((3, 2)), training=bad)


# --- a table built by hand is checked, and owns its arrays ---------------------------------


@pytest.mark.parametrize(
    "value, shown",
    [(np.nan, "NaN"), (np.inf, "inf"), (-np.inf, "-inf")],
)
def test_non_finite_rows_are_refused_naming_the_first_bad_word(value, shown):
    v = np.ones((4, 3), dtype=np.float32)
    v[2, 1] = value
    v[3, 0] = np.nan  # a later bad row: the message names the first
    with pytest.raises(ConfigError) as e:
        Vectors(["king", "man", "queen", "woman"], v)
    assert str(e.value) == (f"vectors: the vector of 'queen' (row 2) holds {shown} at column 1; "
                            "replace that row with finite numbers or drop the word")


def test_non_finite_values_in_a_large_table_are_found_past_the_first_block():
    v = np.zeros((300_000, 4), dtype=np.float32)
    v[-1, 3] = np.nan
    with pytest.raises(ConfigError, match=r"'w299999' \(row 299999\) holds NaN at column 3"):
        Vectors([f"w{i}" for i in range(300_000)], v)


def test_non_finite_output_and_word_rows_are_refused():
    v = np.ones((2, 3), dtype=np.float32)
    bad = v.copy()
    bad[1, 2] = np.inf
    with pytest.raises(ConfigError, match=r"^output_rows: the vector of 'b' \(row 1\) holds inf"):
        Vectors(["a", "b"], v, output_rows=bad)


@pytest.mark.parametrize(
    "vectors, fragment",
    [
        (np.array([[1.0, None], [2.0, 3.0]], dtype=object), r"^vectors holds None at \[0, 1\]; give a number there$"),
        (np.ones((2, 2)) + 1j, r"^vectors holds complex numbers"),
        ([["1", "x"], ["2", "3"]], r"^vectors must hold real numbers, got an array of dtype <U1$"),
        ([[1.0, 2.0], [3.0]], r"^vectors must be an array of real numbers \("),
        (np.array([[1.0, "x"], [2.0, 3.0]], dtype=object), r"^vectors must hold real numbers \("),
    ],
)
def test_vectors_that_are_not_real_numbers_are_refused_in_one_line(vectors, fragment):
    with pytest.raises(ConfigError, match=fragment) as e:
        Vectors(["a", "b"], vectors)
    assert "\n" not in str(e.value)


def test_an_object_array_of_numbers_is_accepted():
    kv = Vectors(["a", "b"], np.array([[1, 2.5], [3, 4]], dtype=object))
    np.testing.assert_array_equal(kv["a"], [1.0, 2.5])


@pytest.mark.parametrize(
    "counts, fragment",
    [
        ([1.7, 2.2], r"^counts must be whole numbers, but the count of 'a' \(row 0\) is 1.7$"),
        ([3, -1], r"^counts must be >= 0, but the count of 'b' \(row 1\) is -1$"),
        ([3.0, np.nan], r"^counts must be whole numbers, but the count of 'b' \(row 1\) is nan$"),
        ([3, None], r"^counts holds None at \[1\]"),
        (["3", "4"], r"^counts must hold real numbers, got an array of dtype <U1$"),
        ([1 + 1j, 2], r"^counts holds complex numbers"),
        # over int64's range: named as too large (a uint64 wrapped to a negative number, a Python int said 'whole')
        (np.array([1, 2**63 + 5], np.uint64), r"^counts must be below 2\*\*63, but the count of 'b' \(row 1\) is "
                                              r"9223372036854775813$"),
        ([1, 2**70], r"^counts must be below 2\*\*63, but the count of 'b' \(row 1\) is 1.181e\+21$"),
    ],
)
def test_bad_counts_are_refused(counts, fragment):
    with pytest.raises(ConfigError, match=fragment):
        Vectors(["a", "b"], np.ones((2, 2), dtype=np.float32), counts)


def test_whole_float_counts_are_taken_as_integers():
    kv = Vectors(["a", "b"], np.ones((2, 2), dtype=np.float32), [5.0, 0.0])
    assert kv.counts.dtype == np.int64 and kv.counts.tolist() == [5, 0]


@pytest.mark.parametrize(
    "words, fragment",
    [
        ([1, 2], r"^words must hold str, but words\[0\] is int \(1\)$"),
        (["a", b"b"], r"^words must hold str, but words\[1\] is bytes \(b'b'\)$"),
        ("ab", r"^words must be a list of words, got the str 'ab'; for one word pass \['ab'\]$"),
        (None, r"^words must be a list of words, got NoneType$"),
    ],
)
def test_words_that_are_not_str_are_refused(words, fragment):
    with pytest.raises(ConfigError, match=fragment):
        Vectors(words, np.ones((2, 2), dtype=np.float32))


def test_the_constructor_copies_a_callers_writeable_arrays():
    rng = np.random.default_rng(1)
    arr = rng.random((5, 3)).astype(np.float32)
    original = arr.copy()
    counts = np.arange(5, 0, -1)
    output = rng.random((5, 3)).astype(np.float32)
    kv = Vectors(list("abcde"), arr, counts, output_rows=output)
    cos_ab = float(kv.unit_rows([0])[0] @ kv.unit_rows([1])[0])  # caches the norms
    arr[0] = [100, -5, 3]
    counts[0] = 0
    output[0] = 7
    np.testing.assert_array_equal(kv["a"], original[0])
    assert kv.counts[0] == 5 and not (kv.output_rows[0] == 7).any()
    assert float(kv.unit_rows([0])[0] @ kv.unit_rows([1])[0]) == cos_ab
    assert np.isclose(cos_ab, original[0] @ original[1] / np.linalg.norm(original[0]) / np.linalg.norm(original[1]))


def test_an_array_nothing_can_write_is_shared_not_copied(small_vectors):
    kv = Vectors(small_vectors.words, small_vectors.vectors)
    assert np.shares_memory(kv.vectors, small_vectors.vectors)
    view = np.arange(6, dtype=np.float32).reshape(3, 2)
    ro = view.view()
    ro.flags.writeable = False  # read-only, but its base is not: copied
    kv = Vectors(list("abc"), ro)
    view[0] = 9
    assert kv["a"].tolist() == [0, 1]


def test_views_handed_out_cannot_be_made_writeable(small_vectors):
    for a in (small_vectors.vectors, small_vectors.counts, small_vectors["w1"]):
        with pytest.raises(ValueError):
            a.flags.writeable = True


def test_source_and_stats_cannot_be_reassigned(small_vectors):
    with pytest.raises(AttributeError):
        small_vectors.source = "elsewhere.txt"
    with pytest.raises(AttributeError):
        small_vectors.stats = None
    assert small_vectors.head(3).source is None


# --- only a str is a word -------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, message",
    [
        (0, "word must be a str (a word), got int (to get row 0, use kv.vectors[0])"),
        (np.int64(3), "word must be a str (a word), got int64 (to get row 3, use kv.vectors[3])"),
        (None, "word must be a str (a word), got NoneType"),
        (slice(0, 10), "word must be a str (a word), got slice (to get rows by number, slice kv.vectors or use kv.head(n))"),
        (["w1", "w2"], "word must be a str (a word), got list (for several words use kv.lookup(words) or kv.indices(words))"),
        (b"w1", "word must be a str (a word), got bytes"),
    ],
)
def test_a_key_that_is_not_a_str_is_refused_saying_what_to_use(small_vectors, key, message):
    kv = small_vectors
    for look_up in (kv.__getitem__, kv.get_index, kv.vector, kv.suggest, kv.has_vector, kv.is_composed):
        with pytest.raises(ConfigError) as e:
            look_up(key)
        assert str(e.value) == message


def test_membership_of_a_non_str_is_false(small_vectors):
    assert 0 not in small_vectors and None not in small_vectors and ["w1"] not in small_vectors
    assert "w1" in small_vectors


# --- a bare str is not a list of words ------------------------------------------------------


def test_a_bare_str_where_a_list_of_words_is_expected_is_refused(small_vectors):
    kv = small_vectors
    for method in (kv.subset, kv.indices, kv.lookup):
        with pytest.raises(ConfigError) as e:
            method("w12")
        assert str(e.value) == "words must be a list of words, got the str 'w12'; for one word pass ['w12']"
    assert kv.subset(["w12"]).words == ("w12",)
    assert kv.indices(["w12", "w1"]).tolist() == [12, 1]


def test_a_list_of_words_holding_a_non_str_is_refused(small_vectors):
    for method in (small_vectors.subset, small_vectors.indices, small_vectors.lookup):
        with pytest.raises(ConfigError, match=r"^words must hold str, but words\[1\] is int \(3\)$"):
            method(["w1", 3])


def test_rows_beyond_float32_squares_keep_their_cosines():
    """A row of values near 1e20 (its squares overflow float32) or 1e-30 (they underflow) has the cosines of the
    same row at an ordinary scale, in every query path; float32 alone gave them norm inf or 0, so cosine 0."""
    from wvtool import query

    rng = np.random.default_rng(5)
    base = rng.normal(size=(6, 4)).astype(np.float32)
    scaled = base.copy()
    scaled[0] *= np.float32(1e20)
    scaled[1] *= np.float32(1e-30)
    words = [f"w{i}" for i in range(6)]
    plain, odd = Vectors(words, base), Vectors(words, scaled)
    np.testing.assert_allclose(odd.unit, plain.unit, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(odd.cosines(scaled[0]), plain.cosines(base[0]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(odd.cosines(scaled[1]), plain.cosines(base[1]), rtol=1e-5, atol=1e-6)
    for w1, w2 in (("w0", "w2"), ("w1", "w3"), ("w0", "w1")):
        assert query.similarity(odd, w1, w2) == pytest.approx(query.similarity(plain, w1, w2), abs=1e-6)
    assert [w for w, _ in query.neighbors(odd, "w0", 5)] == [w for w, _ in query.neighbors(plain, "w0", 5)]
    np.testing.assert_allclose(odd.norms()[:2], np.linalg.norm(scaled[:2].astype(np.float64), axis=1), rtol=1e-12)
    huge = scaled.copy()
    huge[0] = base[0] / np.abs(base[0]).max() * np.float32(3e38)  # the raw product with a query would overflow
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no overflow warning on the way
        np.testing.assert_allclose(Vectors(words, huge).cosines(base[2]), plain.cosines(base[2]), rtol=1e-5, atol=1e-6)
    ordinary = Vectors(words, base)  # ordinary rows keep float32's norms, as gensim's
    assert ordinary._inverse_norms().dtype == np.float32
    np.testing.assert_array_equal(ordinary._inverse_norms(), np.float32(1) / np.sqrt(np.einsum("ij,ij->i", base, base)))
