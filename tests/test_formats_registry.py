"""The format registry: names, extensions and detection order all come from one list."""

from __future__ import annotations

import numpy as np

from wvtool import Vectors, formats
from wvtool.formats import registry
from wvtool.formats.common import Peek


def test_formats_and_extensions_come_from_the_registry():
    assert formats.FORMATS == tuple(f.name for f in registry.REGISTRY)
    assert formats.FORMATS == ("word2vec", "word2vec-binary", "glove", "fasttext", "native", "fasttext-bin")
    for f in registry.REGISTRY:
        for ext in f.extensions:
            assert formats.format_for_path(f"x{ext}") == f.name
            assert formats.format_for_path(f"x{ext}.gz") == f.name
    orders = [f.sniff_order for f in registry.SNIFF_ORDER]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_each_written_format_is_detected_as_itself(tmp_path):
    kv = Vectors([f"w{i}" for i in range(6)], np.arange(24, dtype=np.float32).reshape(6, 4) / 7)
    for f in registry.REGISTRY:
        path = tmp_path / f"v{f.extensions[0] if f.extensions else '.dat'}"
        formats.save(kv, path, f.name)
        peek = Peek.of(path.read_bytes()[:65536], path.name)
        first = next(g for g in registry.SNIFF_ORDER if g.sniff(peek))
        assert first.name == f.name
        assert formats.load(path).equals(kv)
