"""The format registry: names, extensions and detection order all come from one list."""

from __future__ import annotations

import csv
import gzip

import numpy as np
import pytest

from wvtool import Vectors, formats
from wvtool.errors import ConfigError
from wvtool.formats import registry
from wvtool.formats.common import Peek


def test_formats_and_extensions_come_from_the_registry():
    assert formats.FORMATS == tuple(f.name for f in registry.REGISTRY)
    assert formats.FORMATS == ("word2vec", "word2vec-binary", "glove", "fasttext", "native", "fasttext-bin", "projector")
    assert formats.READABLE == ("word2vec", "word2vec-binary", "glove", "fasttext", "native", "fasttext-bin")
    assert formats.WRITABLE == formats.FORMATS
    for f in registry.REGISTRY:
        for ext in f.extensions:
            assert formats.format_for_path(f"x{ext}") == f.name
            assert formats.format_for_path(f"x{ext}.gz") == f.name
    orders = [f.sniff_order for f in registry.SNIFF_ORDER]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_each_written_format_is_detected_as_itself(tmp_path):
    kv = Vectors([f"w{i}" for i in range(6)], np.arange(24, dtype=np.float32).reshape(6, 4) / 7)
    for f in registry.REGISTRY:
        if f.read is None:
            continue
        path = tmp_path / f"v{f.extensions[0] if f.extensions else '.dat'}"
        formats.save(kv, path, f.name)
        peek = Peek.of(path.read_bytes()[:65536], path.name)
        first = next(g for g in registry.SNIFF_ORDER if g.sniff(peek))
        assert first.name == f.name
        assert formats.load(path).equals(kv)


def test_projector_export_writes_the_two_tsv_files(tmp_path):
    kv = Vectors(["king", "queen", "naïve"], np.array([[1, 0.5], [-2, 1e-7], [3.25, 4]], dtype=np.float32), [30, 20, 10])
    out = formats.save(kv, tmp_path / "emb.tsv")
    assert out == tmp_path / "emb.tsv"
    rows = [line.split("\t") for line in (tmp_path / "emb.tsv").read_text().splitlines()]
    assert np.array(rows, dtype=np.float32).tolist() == kv.vectors.tolist()
    with open(tmp_path / "emb-metadata.tsv", newline="", encoding="utf-8") as f:
        assert list(csv.reader(f, delimiter="\t")) == [["word", "count"], ["king", "30"], ["queen", "20"], ["naïve", "10"]]
    # convert to it (gzip applies to both files)
    formats.convert(_native(tmp_path, kv), tmp_path / "p.tsv.gz", "projector")
    assert gzip.decompress((tmp_path / "p-metadata.tsv.gz").read_bytes()).decode() == "word\tcount\nking\t30\nqueen\t20\nnaïve\t10\n"
    # without counts: one word per line, no header (the projector's single-column layout)
    plain = Vectors(kv.words, kv.vectors)
    formats.save(plain, tmp_path / "q.tsv", "projector")
    assert (tmp_path / "q-metadata.tsv").read_text(encoding="utf-8") == "king\nqueen\nnaïve\n"
    with pytest.raises(ConfigError, match="is not one of"):
        formats.load(tmp_path / "q.tsv", "projector")
    with pytest.raises(ConfigError, match=r"the word 'a\\tb', which contains whitespace '\\t', in projector format"):
        formats.save(Vectors(["a\tb"], np.ones((1, 2))), tmp_path / "r.tsv")
    assert not (tmp_path / "r.tsv").exists() and not (tmp_path / "r-metadata.tsv").exists()


def _native(tmp_path, kv):
    p = tmp_path / "src.wv"
    formats.save(kv, p)
    return p
