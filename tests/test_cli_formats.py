"""The info, convert and export-matrix commands end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wvtool import formats as io


@pytest.fixture
def vec_file(tmp_path, small_vectors):
    p = tmp_path / "v.bin"
    io.save(small_vectors, p)
    return p


def _error_line(code, out, err):
    assert code == 1
    assert "Traceback" not in err and "Traceback" not in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("wvtool: error: ")
    return lines[0]


def test_info_json(run_cli, vec_file, small_vectors):
    code, out, err = run_cli("info", vec_file, "--json")
    assert code == 0, err
    r = json.loads(out)
    assert r["command"] == "info" and r["vectors"] == str(vec_file)
    assert r["format"] == "word2vec-binary" and r["rows"] == 50 and r["dim"] == 8
    assert r["sample_words"] == list(small_vectors.words[:8])
    assert r["norm_max"] == pytest.approx(float(small_vectors.norms().max()))


def test_info_table(run_cli, vec_file):
    code, out, err = run_cli("info", vec_file, "--limit", "5")
    assert code == 0, err
    for text in ("word2vec-binary", "vectors", "5", "dimension", "load time", "w0 w1"):
        assert text in out


def test_convert_every_direction(run_cli, tmp_path, vec_file, small_vectors):
    src = vec_file
    for ext in (".txt", ".vec", ".glove", ".wv", ".txt.gz", ".bin"):
        dst = tmp_path / f"out{ext}"
        code, out, err = run_cli("convert", src, dst, "--json")
        assert code == 0, err
        r = json.loads(out)
        assert r["command"] == "convert" and r["vectors"] == str(src) and r["rows"] == 50 and r["output"] == str(dst)
        assert io.load(dst).equals(small_vectors)
        src = dst  # chain: each output is the next input


def test_convert_to_limit_normalize_quiet(run_cli, tmp_path, vec_file, small_vectors):
    dst = tmp_path / "out.data"
    code, out, err = run_cli("convert", vec_file, dst, "--to", "glove", "--limit", "10", "--normalize", "-q")
    assert code == 0 and err == "" and out.startswith(f"wrote 10 x 8 vectors (glove, normalized) to {dst}")
    back = io.load(dst, "glove")
    assert back.words == small_vectors.words[:10]
    assert np.allclose(np.linalg.norm(back.vectors, axis=1), 1, atol=1e-6)
    code, out, err = run_cli("convert", vec_file, tmp_path / "o.wv")
    assert code == 0 and "wrote 50 x 8 vectors (native)" in out  # the result goes to stdout


def test_convert_unicode_errors_option(run_cli, tmp_path):
    src = tmp_path / "broken.bin"
    src.write_bytes(b"2 2\nok " + np.ones(2, "<f4").tobytes() + b"\nb\xc3 " + np.zeros(2, "<f4").tobytes() + b"\n")
    dst = tmp_path / "out.txt"
    line = _error_line(*run_cli("convert", src, dst))
    assert "record 2" in line and "--unicode-errors replace" in line
    assert not dst.exists()
    code, _, err = run_cli("convert", src, dst, "--unicode-errors", "replace", "-q")
    assert code == 0, err
    assert io.load(dst).words == ("ok", "b\ufffd")


def test_export_matrix(run_cli, tmp_path, vec_file, small_vectors):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("[PAD]\nw1\nW2\ncafé\nnope\n")
    out_path = tmp_path / "emb.npy"
    code, out, err = run_cli("export-matrix", vec_file, "--vocab", vocab, "-o", out_path, "--missing", "zeros", "--json")
    assert code == 0, err
    r = json.loads(out)
    assert (r["exact"], r["lowercase"], r["special"], r["missing"]) == (2, 1, 1, 1)  # [PAD] is special: zeros
    m = np.load(out_path)
    assert m.shape == (5, 8)
    assert np.array_equal(m[2], small_vectors["w2"]) and not m[0].any() and not m[4].any()
    code, out, err = run_cli("export-matrix", vec_file, "--vocab", vocab, "-o", out_path)
    assert code == 0, err
    assert "found exactly" in out and "found lowercased" in out and "missing" in out and "40.0" in out


# --- bad input through the CLI: exit 1, one line, no traceback, no output left behind ------------------------


def test_cli_missing_input(run_cli, tmp_path):
    line = _error_line(*run_cli("convert", tmp_path / "nope.bin", tmp_path / "out.txt"))
    assert "nope.bin" in line and "no such file" in line
    assert not (tmp_path / "out.txt").exists()
    _error_line(*run_cli("info", tmp_path / "nope.bin"))


def test_cli_empty_file(run_cli, tmp_path):
    src = tmp_path / "empty.txt"
    src.write_bytes(b"")
    line = _error_line(*run_cli("info", src))
    assert "empty.txt" in line and "empty" in line


def test_cli_bad_row_keeps_existing_output_untouched(run_cli, tmp_path):
    src = tmp_path / "bad.txt"
    src.write_text("3 2\na 1 2\nb 1 nan\nc 1 2\n")
    dst = tmp_path / "out.bin"
    dst.write_bytes(b"good old file")
    line = _error_line(*run_cli("convert", src, dst))
    assert "bad.txt, line 3" in line and "not a finite number" in line
    assert dst.read_bytes() == b"good old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.bin"]


def test_cli_truncated_binary(run_cli, tmp_path, vec_file):
    data = vec_file.read_bytes()
    vec_file.write_bytes(data[:-20])
    line = _error_line(*run_cli("convert", vec_file, tmp_path / "out.wv"))
    assert "record 50" in line and "declares 50" in line
    assert not (tmp_path / "out.wv").exists()


def test_cli_wrong_number_of_values(run_cli, tmp_path):
    src = tmp_path / "g.txt"
    src.write_text("a 1 2 3\nb 1 2\n")
    line = _error_line(*run_cli("info", src))
    assert "g.txt, line 2" in line and "'b' has 2 values" in line


def test_cli_output_equals_input_and_missing_directory(run_cli, tmp_path, vec_file):
    before = vec_file.read_bytes()
    line = _error_line(*run_cli("convert", vec_file, vec_file, "--to", "word2vec-binary"))
    assert "same as the input" in line
    assert vec_file.read_bytes() == before
    line = _error_line(*run_cli("convert", vec_file, tmp_path / "missing" / "o.txt"))
    assert "does not exist" in line
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("w1\n")
    line = _error_line(*run_cli("export-matrix", vec_file, "--vocab", vocab, "-o", tmp_path / "missing" / "m.npy"))
    assert "does not exist" in line
    line = _error_line(*run_cli("export-matrix", vec_file, "--vocab", vocab, "-o", vocab))
    assert "same as the input" in line or "npy" in line
    assert vocab.read_text() == "w1\n"


def test_cli_unknown_output_format(run_cli, tmp_path, vec_file):
    line = _error_line(*run_cli("convert", vec_file, tmp_path / "o.xyz"))
    assert "--to" in line
    code, _, err = run_cli("convert", vec_file, tmp_path / "o.txt", "--to", "csv")  # a usage error
    assert code == 2 and "--to" in err and "'csv' is not one of word2vec" in err and "Traceback" not in err


def test_cli_duplicate_words_warn_once(run_cli, tmp_path):
    src = tmp_path / "d.txt"
    src.write_text("3 1\na 1\na 2\nb 3\n")
    code, out, err = run_cli("convert", src, tmp_path / "o.txt", "-q")
    assert code == 0
    # (the warning is one message; the CLI's warning printer may wrap it at the console width)
    assert "1 duplicate word skipped" in " ".join(err.split()) and "Traceback" not in err
    assert io.load(tmp_path / "o.txt").vectors[:, 0].tolist() == [1.0, 3.0]


# --- vectors written to standard output: stdout holds them alone -------------------------------------------------


@pytest.mark.parametrize("fmt", ["word2vec", "glove"])  # (binary output: byte for byte through a pipe, below)
def test_convert_to_standard_output_puts_the_summary_on_stderr(run_cli, vec_file, small_vectors, fmt):
    import io as stdio
    import re

    code, out, err = run_cli("convert", vec_file, "-", "--to", fmt)
    assert code == 0 and "Traceback" not in err
    assert re.fullmatch(rf"wrote 50 x 8 vectors \({fmt}\) to standard output from word2vec-binary in \d+\.\d\d s\n", err)
    assert io.load(stdio.BytesIO(out.encode()), fmt).equals(small_vectors)
    code, out_q, err = run_cli("convert", vec_file, "-", "--to", fmt, "--quiet")
    assert code == 0 and err == "" and out_q == out


def test_a_stream_without_a_format_lists_the_formats_a_stream_takes(run_cli, vec_file):
    import re

    code, out, err = run_cli("convert", vec_file, "-")
    listed = re.fullmatch(r"wvtool: error: writing to a stream needs a format: pass --to FORMAT \(one of (.*)\)\n",
                          err).group(1).split(", ")
    assert code == 1 and out == "" and "projector" not in listed and set(listed) == set(io.WRITABLE) - {"projector"}
    for fmt in listed:  # each one it offers does go to a stream
        code, out, err = run_cli("convert", vec_file, "-", "--to", fmt, "--quiet")
        assert code == 0 and out and err == "", fmt
    # the one it leaves out is refused before anything is read: a corpus that does not exist is not reached
    stream = "wvtool: error: projector output is several files and cannot go to a stream; give a file name\n"
    for args in (("convert", vec_file, "-", "--to", "projector"), ("train", "nofile.txt", "-o", "-", "--format", "projector")):
        assert run_cli(*args) == (1, "", stream), args


def test_convert_to_standard_output_json_and_tsv_go_to_stderr(run_cli, vec_file, small_vectors, tmp_path):
    ref = tmp_path / "ref.txt"
    io.save(small_vectors, ref)
    for quiet in ([], ["-q"]):
        code, out, err = run_cli("convert", vec_file, "-", "--to", "word2vec", "--json", *quiet)
        assert code == 0 and out == ref.read_text()
        doc = json.loads(err)
        assert doc["command"] == "convert" and doc["output"] == "-" and doc["rows"] == 50 and doc["output_size"] is None
        code, out, err = run_cli("convert", vec_file, "-", "--to", "word2vec", "--tsv", *quiet)
        assert code == 0 and out == ref.read_text()
        assert err.splitlines()[0] == "field\tvalue" and "rows\t50" in err.splitlines()


def _convert_to_pipe(src, *args):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "wvtool", "convert", str(src), "-", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_convert_to_standard_output_binary_bytes_and_a_closed_pipe(tmp_path):
    """The bytes on stdout are the file `convert` writes; `... | head -c 100` ends quietly with status 0."""
    from wvtool import Vectors

    rng = np.random.default_rng(1)
    big = Vectors([f"w{i}" for i in range(3000)], rng.normal(size=(3000, 50)).astype(np.float32))
    src = tmp_path / "big.wv"
    io.save(big, src)
    ref = tmp_path / "ref.bin"
    io.save(big, ref, "word2vec-binary")
    p = _convert_to_pipe(src, "--to", "word2vec-binary", "-q")
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0 and err == b"" and out == ref.read_bytes()
    for extra in (["-q"], [], ["--json"]):
        p = _convert_to_pipe(src, "--to", "word2vec", *extra)
        assert len(p.stdout.read(100)) == 100
        p.stdout.close()  # like `head -c 100`: about 1.7 MB of text is still to come
        assert p.wait(timeout=120) == 0, extra
        assert p.stderr.read() == b"", extra


def test_train_to_standard_output_puts_the_summary_on_stderr(run_cli, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c d e\n" * 30)
    args = ("train", corpus, "-o", "-", "--format", "word2vec", "--min-count", "1", "--dim", "3", "--epochs", "1",
            "--threads", "1", "--seed", "1")
    code, out, err = run_cli(*args)
    assert code == 0 and "training summary" in err and "training summary" not in out
    assert out.splitlines()[0] == "5 3" and len(out.splitlines()) == 6
    code, out2, err = run_cli(*args, "-q")
    assert code == 0 and err == "" and out2 == out
    code, out3, err = run_cli(*args, "-q", "--json")
    assert code == 0 and out3 == out and json.loads(err)["output"] == "-"


@pytest.mark.parametrize("suffix, magic", [(".bz2", b"BZh"), (".xz", b"\xfd7zXZ\x00")])
def test_convert_and_train_write_bz2_and_xz_compressed(run_cli, tmp_path, vec_file, small_vectors, suffix, magic):
    for name, to in ((f"s.bin{suffix}", ["--to", "word2vec-binary"]), (f"s.vec{suffix}", ["--to", "fasttext"]),
                     (f"s.txt{suffix}", [])):
        dst = tmp_path / name
        code, out, err = run_cli("convert", vec_file, dst, *to, "--json")
        assert code == 0, err
        assert dst.read_bytes().startswith(magic) and io.load(dst).equals(small_vectors)
        assert json.loads(out)["output_format"] == (to[1] if to else "word2vec")
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c d e\n" * 30)
    out_path, vocab = tmp_path / f"v.txt{suffix}", tmp_path / f"vocab.txt{suffix}"
    code, _, err = run_cli("train", corpus, "-o", out_path, "--format", "word2vec", "--save-vocab", vocab,
                           "--min-count", "1", "--dim", "3", "--epochs", "1", "-q")
    assert code == 0, err
    assert out_path.read_bytes().startswith(magic) and len(io.load(out_path)) == 5
    assert vocab.read_bytes().startswith(magic)
    line = _error_line(*run_cli("convert", vec_file, tmp_path / "s.txt.zip"))
    assert "does not write zip archives" in line and not (tmp_path / "s.txt.zip").exists()


def test_cli_refuses_text_that_is_not_a_vector_table(run_cli, tmp_path, vec_file):
    proj = tmp_path / "p.tsv"
    code, _, err = run_cli("convert", vec_file, proj, "-q")
    assert code == 0, err
    line = _error_line(*run_cli("info", proj))
    assert "this is a projector file" in line
    bad = tmp_path / "bad.txt"
    bad.write_text("-1 3\na 1 2 3\n")
    assert "bad.txt, line 1: '-1 3' looks like a word2vec 'count dim' header, but its count is negative (-1)" in (
        _error_line(*run_cli("info", bad)))
    w2v = tmp_path / "w.txt"
    io.save(io.load(vec_file), w2v)
    line = _error_line(*run_cli("info", w2v, "--format", "glove"))
    assert "line 1: '50 8' is a word2vec 'count dim' header" in line and "leave out --format glove" in line
    spaced = tmp_path / "s.txt"
    spaced.write_text("2 3\na 1 2 3 4\nb 1 2 3\n")
    code, out, err = run_cli("info", spaced, "--json", "-q")
    assert code == 0 and json.loads(out)["sample_words"] == ["a 1", "b"]
    assert " ".join(err.split()).startswith(f"wvtool: warning: {spaced}: line 2: 'a 1' was read as one word")


def test_save_and_convert_take_save_options_and_check_their_flags(tmp_path):
    import wvtool
    from wvtool.errors import ConfigError
    from wvtool.formats import SaveOptions

    kv = wvtool.Vectors(["a", "b"], np.eye(2, dtype=np.float32), output_rows=np.ones((2, 2), dtype=np.float32))
    slim = wvtool.save(kv, tmp_path / "s.wv", options=SaveOptions(vectors_only=True))
    assert wvtool.load(slim).output_rows is None and wvtool.load(wvtool.save(kv, tmp_path / "f.wv")).output_rows is not None
    wvtool.convert(tmp_path / "f.wv", tmp_path / "c.wv", save_options=SaveOptions(vectors_only=True))
    assert wvtool.load(tmp_path / "c.wv").output_rows is None
    with pytest.raises(ConfigError, match="vectors_only='no' must be True or False"):
        wvtool.save(kv, tmp_path / "x.wv", vectors_only="no")
    with pytest.raises(ConfigError, match="save_options must be a SaveOptions, not dict"):
        wvtool.convert(tmp_path / "f.wv", tmp_path / "y.wv", save_options={"vectors_only": True})
    assert not (tmp_path / "x.wv").exists() and not (tmp_path / "y.wv").exists()


def test_standard_input_closed_is_one_line(run_cli, vec_file, tmp_path, monkeypatch):
    """Started with standard input closed (``<&-``), Python's sys.stdin is None: '-' is refused in one line (an
    AttributeError traceback before), and so are queries read from it."""
    import sys

    monkeypatch.setattr(sys, "stdin", None)
    closed = "wvtool: error: standard input is closed; give a file name instead of -, or pipe the input in\n"
    assert run_cli("info", "-") == (1, "", closed)
    assert run_cli("train", "-", "-o", tmp_path / "v.wv") == (1, "", closed)
    assert run_cli("neighbors", vec_file) == (
        1, "", "wvtool: error: standard input is closed, so no queries can be read from it; give the query words as "
               "arguments\n")
    assert not (tmp_path / "v.wv").exists()
