"""Subword tables through wvtool.load / wvtool.save: fastText .bin detection, the native subword section,
word-only formats writing the composed vectors."""

import gzip
import json
import struct
from pathlib import Path

import gensim
import numpy as np
import pytest

import wvtool
from wvtool import ConfigError, Vectors
from wvtool.errors import FormatError
from wvtool.formats import detect_format

DATA = Path(gensim.__file__).parent / "test" / "test_data"
HERE = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def lee():
    return wvtool.load(DATA / "lee_fasttext.bin")


def test_fasttext_bin_detected_by_content(tmp_path, lee):
    for name in ["lee_fasttext.bin", "lee_fasttext_new.bin", "toy-model.bin", "non_ascii_fasttext.bin"]:
        assert detect_format(DATA / name) == "fasttext-bin"
    renamed = tmp_path / "model.vec"  # the name does not matter
    renamed.write_bytes((DATA / "toy-model.bin").read_bytes())
    assert detect_format(renamed) == "fasttext-bin"
    assert lee.subwords is not None and lee.is_composed("someoovword")
    with pytest.raises(ConfigError, match="limit=5 does not apply to a fastText model"):
        wvtool.load(DATA / "lee_fasttext.bin", limit=5)
    with pytest.raises(FormatError, match="header field model: .*supervised"):
        wvtool.load(DATA / "pang_lee_polarity_fasttext.bin")


def test_gzipped_fasttext_bin(tmp_path):
    import gzip

    gz = tmp_path / "toy.bin.gz"
    gz.write_bytes(gzip.compress((DATA / "toy-model.bin").read_bytes()))
    assert wvtool.load(gz).equals(wvtool.load(DATA / "toy-model.bin"))


def test_save_bin_picks_fasttext_for_subword_tables(tmp_path, lee):
    out = wvtool.save(lee, tmp_path / "m.bin")
    assert detect_format(out) == "fasttext-bin"
    assert wvtool.load(out).equals(lee)
    plain = Vectors(lee.words, lee.vectors)
    assert detect_format(wvtool.save(plain, tmp_path / "p.bin")) == "word2vec-binary"


@pytest.mark.parametrize(
    "fmt, name", [("fasttext", "v.vec"), ("word2vec", "v.txt"), ("glove", "v.glove"), ("word2vec-binary", "v.w2v")]
)
def test_word_only_formats_write_the_composed_vectors(tmp_path, lee, fmt, name):
    back = wvtool.load(wvtool.save(lee, tmp_path / name, format=fmt), format=fmt)
    assert back.words == lee.words and back.subwords is None
    np.testing.assert_array_equal(back.vectors, lee.vectors)


def test_native_round_trip_is_exact_and_memory_mapped(tmp_path, lee):
    path = wvtool.save(lee, tmp_path / "lee.wv")
    back = wvtool.load(path)
    assert back.equals(lee)
    assert back.subwords.training == lee.subwords.training and back.subwords.encoding == "utf-8"
    np.testing.assert_array_equal(back.output_rows, lee.output_rows)  # the model's output rows, read from its .bin
    assert not back.subwords.ngrams.flags.owndata and not back.vectors.flags.owndata  # views of the mapped file
    assert not back.output_rows.flags.owndata
    np.testing.assert_array_equal(back.vector("someoovword"), lee.vector("someoovword"))
    head = wvtool.load(path, limit=10)
    assert len(head) == 10 and head.word_rows.shape == (10, lee.dim) and head.is_composed(lee.words[20])
    np.testing.assert_array_equal(head.output_rows, lee.output_rows[:10])
    np.testing.assert_array_equal(head.vector(lee.words[20]), lee.subwords.compose(lee.words[20]))


def test_native_round_trip_variants(tmp_path, lee):
    norm = lee.normalized()  # no word rows, composed vectors unit length
    back = wvtool.load(wvtool.save(norm, tmp_path / "n.wv"))
    assert back.equals(norm) and back.word_rows is None and back.subwords.normalize
    cp = wvtool.load(DATA / "cp852_fasttext.bin", encoding="cp852")
    back = wvtool.load(wvtool.save(cp, tmp_path / "cp.wv.gz"))
    assert back.equals(cp) and back.subwords.encoding == "cp852"
    np.testing.assert_array_equal(back.vector("kterými"), cp.vector("kterými"))
    np.testing.assert_array_equal(back.output_rows, cp.output_rows)
    head = wvtool.load(tmp_path / "cp.wv.gz", limit=5)  # streamed: the sections after the skipped rows
    assert head.words == cp.words[:5] and head.subwords.equals(cp.subwords)
    np.testing.assert_array_equal(head.word_rows, cp.word_rows[:5])
    np.testing.assert_array_equal(head.output_rows, cp.output_rows[:5])


def test_subword_section_sits_in_the_native_header_padding():
    from wvtool.formats import native, subword_section

    assert subword_section.EXT_OFFSET == native.NATIVE_HEADER.size
    assert subword_section.EXT_OFFSET + subword_section.EXT.size == native.OUTPUT_OFFSET
    assert native.OUTPUT_OFFSET + native.OUTPUT.size <= native.NATIVE_HEADER_SIZE


def test_native_file_from_before_subwords_still_loads():
    kv = wvtool.load(HERE / "native-v1-before-subwords.wv")
    assert kv.words == ("the", "cat", "naïve", "日本") and kv.subwords is None and kv.counts.tolist() == [9, 5, 3, 1]
    np.testing.assert_array_equal(kv.vectors, np.arange(12, dtype=np.float32).reshape(4, 3) / 7)


def test_native_subword_section_damaged(tmp_path, lee):
    path = wvtool.save(lee, tmp_path / "lee.wv")
    data = path.read_bytes()
    cut = tmp_path / "cut.wv"
    cut.write_bytes(data[: len(data) - 100])
    with pytest.raises(FormatError, match=r"cut.wv, header: the file is cut short.*truncated"):
        wvtool.load(cut)
    bad = bytearray(data)
    meta_off, meta_len = struct.unpack_from("<QQ", bad, 72)
    bad[meta_off : meta_off + 1] = b"!"
    cut.write_bytes(bytes(bad))
    with pytest.raises(FormatError, match="subword section: unreadable settings"):
        wvtool.load(cut)


@pytest.mark.parametrize("gz", [False, True])
def test_native_output_rows_of_a_word_table(tmp_path, gz):
    rng = np.random.default_rng(4)
    vectors, output = rng.normal(size=(2, 6, 3)).astype(np.float32)
    kv = wvtool.Vectors([f"w{i}" for i in range(6)], vectors, [9, 8, 7, 3, 2, 1], output_rows=output)
    path = wvtool.save(kv, tmp_path / ("o.wv" + (".gz" if gz else "")))
    back = wvtool.load(path)
    assert back.equals(kv) and back.counts.tolist() == [9, 8, 7, 3, 2, 1]
    np.testing.assert_array_equal(back.output_rows, output)
    np.testing.assert_array_equal(wvtool.load(path, limit=2).output_rows, output[:2])
    assert wvtool.formats.file_info(path)["has_output_rows"]
    assert wvtool.load(wvtool.save(kv.normalized(), tmp_path / "n.wv")).output_rows is None
    # vectors only: the same table without them, a file that much smaller
    slim = wvtool.load(wvtool.save(kv, tmp_path / "s.wv", vectors_only=True))
    assert slim.equals(kv) and slim.output_rows is None and kv.output_rows is not None
    assert (tmp_path / "s.wv").stat().st_size < wvtool.save(kv, tmp_path / "f.wv").stat().st_size - output.nbytes + 64
    wvtool.formats.convert(path, tmp_path / "c.wv", vectors_only=True)
    assert wvtool.load(tmp_path / "c.wv").output_rows is None and wvtool.load(tmp_path / "c.wv").equals(kv)
    # a fastText model always has an output matrix: the zeros written for none read back as none
    assert wvtool.load(wvtool.save(kv, tmp_path / "z.bin", format="fasttext-bin", vectors_only=True)).output_rows is None
    if gz:
        return
    from wvtool.formats import native

    data = path.read_bytes()
    (offset,) = native.OUTPUT.unpack_from(data, native.OUTPUT_OFFSET)
    assert offset % 64 == 0 and len(data) == offset + output.nbytes
    bad = bytearray(data)
    native.OUTPUT.pack_into(bad, native.OUTPUT_OFFSET, offset + 64)
    (tmp_path / "bad.wv").write_bytes(bytes(bad))
    with pytest.raises(FormatError, match=rf"bad.wv, header field output-rows offset: is {offset + 64:,}; .* byte "
                                          rf"{offset:,}"):
        wvtool.load(tmp_path / "bad.wv")
    (tmp_path / "cut.wv").write_bytes(data[:-4])
    with pytest.raises(FormatError, match=r"cut.wv, header: the file is cut short"):
        wvtool.load(tmp_path / "cut.wv")


def test_file_info_describes_the_subword_part(tmp_path, lee):
    info = wvtool.formats.file_info(DATA / "lee_fasttext.bin")
    assert info["format"] == "fasttext-bin" and info["vectors"] == 1762
    sub = info["subwords"]
    assert (sub["minn"], sub["maxn"], sub["bucket"], sub["ngram_matrix_bytes"]) == (3, 6, 1000, 1000 * 10 * 4)
    assert sub["training"]["model"] == 2 and sub["training"]["epoch"] == 5
    assert wvtool.formats.file_info(wvtool.save(lee, tmp_path / "l.wv"))["subwords"] == sub
    assert wvtool.formats.file_info(HERE / "native-v1-before-subwords.wv")["subwords"] is None


@pytest.mark.parametrize("gz", [False, True])
def test_native_keeps_a_word_models_training_settings(tmp_path, gz):
    from wvtool.formats import native

    sentences = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "log"]] * 30
    kv = wvtool.train(iter(sentences), model="cbow", dim=4, window=3, epochs=2, min_count=2, threads=1)
    assert kv.training["model"] == 1 and kv.training["ws"] == 3 and kv.training["bucket"] == 0
    path = wvtool.save(kv, tmp_path / ("t.wv" + (".gz" if gz else "")))
    assert wvtool.load(path).training == kv.training == wvtool.load(path, limit=2).training
    info = wvtool.formats.file_info(path)
    assert info["training"] == kv.training and info["has_output_rows"]
    if gz:
        return
    data = path.read_bytes()
    offset, length = native.TRAINING.unpack_from(data, native.TRAINING_OFFSET)
    assert offset + length == len(data) and json.loads(data[offset:]) == kv.training
    for name, bad, message in [
        ("moved", _header(data, native.TRAINING_OFFSET, offset - 8, length),
         rf"header field training offset: is {offset - 8:,}; .* at byte {offset:,}"),
        ("list", data[:offset] + b"[1]".ljust(length), "training settings: the training settings are a list, not a dict"),
        ("garbled", data[:offset] + b"{".ljust(length), r"training settings: unreadable \("),
        ("hostile", _header(data, native.TRAINING_OFFSET, offset, 14)[:offset] + b'{"model": [1]}',
         r"training settings: the training setting model=\[1\] is not a 32-bit whole number"),
        ("cut", data[:-1], "the file is cut short"),
    ]:
        (tmp_path / f"{name}.wv").write_bytes(bad)
        with pytest.raises(FormatError, match=message):
            wvtool.load(tmp_path / f"{name}.wv")


def _header(data: bytes, at: int, offset: int, length: int) -> bytes:
    out = bytearray(data)
    struct.pack_into("<QQ", out, at, offset, length)
    return bytes(out)


# --- the settings JSON of a native file: hostile documents ----------------------------------------


def _subword_file(tmp_path, settings: bytes | None = None, **override) -> Path:
    """A native subword table (2 words, 4 dimensions, bucket 8) whose settings JSON is ``settings``, or what wvtool
    writes with the keys of ``override`` replaced (the n-gram matrix moved to follow it)."""
    from wvtool.formats import subword_section
    from wvtool.subwords import Subwords

    sw = Subwords(2, 3, 8, np.zeros((8, 4), np.float32))
    path = wvtool.save(Vectors(["a", "b"], np.ones((2, 4), np.float32), subwords=sw), tmp_path / "src.wv")
    data = path.read_bytes()
    meta_off, meta_len, ng_off, rows_off = subword_section.EXT.unpack_from(data, subword_section.EXT_OFFSET)
    assert rows_off == 0
    if settings is None:
        settings = json.dumps({**json.loads(data[meta_off : meta_off + meta_len]), **override}).encode()
    new_ng = subword_section.align(meta_off + len(settings))
    out = bytearray(data[:meta_off] + settings + b"\x00" * (new_ng - meta_off - len(settings)) + data[ng_off:])
    subword_section.EXT.pack_into(out, subword_section.EXT_OFFSET, meta_off, len(settings), new_ng, 0)
    bad = tmp_path / "bad.wv"
    bad.write_bytes(bytes(out))
    return bad


def _training_file(tmp_path, settings: bytes, gz: bool = False) -> Path:
    """A native word table whose training settings are the JSON ``settings``."""
    from wvtool.formats import native

    path = wvtool.save(Vectors(["a", "b"], np.ones((2, 4), np.float32), training={"ws": 5}), tmp_path / "src.wv")
    data = path.read_bytes()
    offset, _ = native.TRAINING.unpack_from(data, native.TRAINING_OFFSET)
    out = _header(data, native.TRAINING_OFFSET, offset, len(settings))[:offset] + settings
    bad = tmp_path / ("bad.wv" + (".gz" if gz else ""))
    bad.write_bytes(gzip.compress(out) if gz else out)
    return bad


def _message(path) -> str:
    with pytest.raises(FormatError) as e:
        wvtool.load(path)
    assert "\n" not in str(e.value)
    return str(e.value)


@pytest.mark.parametrize("gz", [False, True])
def test_deeply_nested_settings_are_refused_in_one_line(tmp_path, gz):
    """Python's JSON parser recurses per level: 20,000 nested arrays were a RecursionError traceback."""
    for deep in (b"[" * 20_000, b'{"a":' * 10_000, b"[" * 101 + b"]" * 101):
        p = _training_file(tmp_path, deep, gz)
        assert _message(p) == (f"{p}, training settings: unreadable (arrays or objects nested more than 100 levels "
                               "deep); the file is damaged or is not in the format it claims; re-download or "
                               "regenerate it")
    p = _subword_file(tmp_path, b"[" * 20_000)
    assert _message(p) == (f"{p}, subword section: unreadable settings (arrays or objects nested more than 100 levels "
                           "deep); the file is damaged; regenerate it")
    # brackets inside strings do not count, and 100 levels read back
    notes = "[" * 500
    for _ in range(99):
        notes = [notes]
    kv = Vectors(["a"], np.ones((1, 2), np.float32), training={"notes": notes})
    assert wvtool.load(wvtool.save(kv, tmp_path / ("deep.wv" + (".gz" if gz else "")))).training == kv.training


@pytest.mark.parametrize("gz", [False, True])
def test_an_integer_of_thousands_of_digits_is_refused_in_wvtools_words(tmp_path, gz):
    """Python's own message leaked: 'Exceeds the limit (4300 digits) ...; use sys.set_int_max_str_digits()'."""
    p = _training_file(tmp_path, b'{"ws": ' + b"7" * 5000 + b"}", gz)
    assert _message(p) == (f"{p}, training settings: unreadable (an integer of 5,000 digits, more than the 100 a "
                           "setting may have); the file is damaged or is not in the format it claims; re-download "
                           "or regenerate it")
    p = _subword_file(tmp_path, b'{"bucket": -' + b"1" * 200 + b"}")
    assert _message(p) == (f"{p}, subword section: unreadable settings (an integer of 200 digits, more than the 100 a "
                           "setting may have); the file is damaged; regenerate it")


SETTINGS_DAMAGE = [
    # Infinity and 1e999 were an OverflowError traceback
    ({"bucket": float("inf")}, "the setting bucket is Infinity, not an integer"),
    (b'{"bucket": 1e999, "encoding": "utf-8", "maxn": 3, "minn": 2, "normalize": false, "training": null}',
     "the setting bucket is Infinity, not an integer"),
    ({"minn": float("nan")}, "the setting minn is NaN, not an integer"),
    # read as int() or bool() of anything: '2' -> 2, 2.9 -> 2, true -> 1, 300.7 -> 300, 'no!' -> True
    ({"minn": "2"}, "the setting minn is the string '2', not an integer"),
    ({"minn": 2.9}, "the setting minn is 2.9, not an integer"),
    ({"maxn": 3.0}, "the setting maxn is 3.0, not an integer"),
    ({"minn": True}, "the setting minn is true, not an integer"),
    ({"bucket": 300.7}, "the setting bucket is 300.7, not an integer"),
    ({"bucket": [8]}, "the setting bucket is an array, not an integer"),
    ({"normalize": "no!"}, "the setting normalize is the string 'no!', not true or false"),
    ({"normalize": 0}, "the setting normalize is 0, not true or false"),
    ({"encoding": None}, "the setting encoding is null, not a string (the name of a text encoding)"),
    ({"encoding": 5}, "the setting encoding is 5, not a string (the name of a text encoding)"),
    ({"minn": -2}, "the setting minn is -2, not an integer from 0 to 2,147,483,647"),
    ({"bucket": 2**31}, "the setting bucket is 2147483648, not an integer from 0 to 2,147,483,647"),
    ({"maxn": 10**40}, "the setting maxn is 1000000000000000000000000000000000000000... (41 characters), not an "
                       "integer from 0 to 2,147,483,647"),
    ({"minn": "x" * 1000}, "the setting minn is the string 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (1,000 "
                           "characters), not an integer"),
    (b'[2, 3, 8]', "the settings are an array, not a JSON object"),
    (b'{"minn": 2, "maxn": 3, "bucket": 8, "encoding": "utf-8", "training": null}', "the setting normalize is missing"),
    ({"training": [1]}, "the training settings are a list, not a dict"),
]


@pytest.mark.parametrize("change,problem", SETTINGS_DAMAGE, ids=range(len(SETTINGS_DAMAGE)))
def test_subword_settings_are_each_checked_for_type_and_range(tmp_path, change, problem):
    p = _subword_file(tmp_path, change) if isinstance(change, bytes) else _subword_file(tmp_path, **change)
    assert _message(p) == f"{p}, subword section: {problem}; the file is damaged; regenerate it"
    # and every kind of valid value still reads
    back = wvtool.load(_subword_file(tmp_path, minn=0, maxn=0, bucket=8, normalize=True, encoding="latin-1",
                                     training={"ws": 3}, comment="a key wvtool does not write is ignored"))
    sw = back.subwords
    assert (sw.minn, sw.maxn, sw.bucket, sw.normalize, sw.encoding, sw.training) == (0, 0, 8, True, "latin-1", {"ws": 3})


def test_subword_settings_no_file_can_hold_cannot_be_made(tmp_path):
    """fastText models and native files keep minn, maxn and bucket as 32-bit integers: a table with a larger one
    cannot be made, so every writer writes what its reader reads (the fastText writer failed with struct.error)."""
    from wvtool.subwords import Subwords

    ngrams = np.zeros((8, 4), np.float32)
    with pytest.raises(ConfigError, match=r"^maxn=2147483648 is more than the 2,147,483,647 a fastText model or native "
                                          r"file can hold$"):
        Subwords(2, 2**31, 8, ngrams)
    kv = Vectors(["a", "b"], np.ones((2, 4), np.float32), subwords=Subwords(2, 2**31 - 1, 8, ngrams))
    for name in ("edge.wv", "edge.bin"):
        assert wvtool.load(wvtool.save(kv, tmp_path / name)).subwords.maxn == 2**31 - 1
