"""Command: info."""

from __future__ import annotations

from pathlib import Path

from ..files import shown_name
from ..formats import LoadOptions
from ..subwords import FASTTEXT_MODELS
from .common import VECTORS_ARG, command, document, emit, size_text, table
from .params import Output, option_group, output_options


@command(
    short_help="Describe a vector file: format, size, shape, norms, sample words.",
    name="info",
    help=(
        "Describe a vector file: format, size, number of vectors, dimension, norm statistics, sample words "
        "and how long it took to load.\n\n"
        "Example: wvtool info vectors.bin\n\n"
        "Example: wvtool info glove.6B.100d.txt.gz --limit 10000 --json"
    ),
)
@option_group("load", LoadOptions)
@output_options
def info_(vectors: Path = VECTORS_ARG, load: LoadOptions = None, ui: Output = None) -> None:
    from ..formats import file_info
    from .progress import progress_bar

    with progress_bar(f"loading {shown_name(vectors)}", "vectors", ui.quiet) as progress:
        found = file_info(vectors, options=load, progress=progress)
    result = document("info", vectors=found.pop("path"), rows=found.pop("vectors"), **found)
    emit(result, ui, _render, _rows)


def training_text(tr: dict) -> str:
    """A model's recorded settings (fastText's names) in a line: the model and those a user sets most."""
    fields = [("dim", "dim {}"), ("ws", "window {}"), ("epoch", "{} epoch"), ("neg", "{} negative"),
              ("min_count", "min count {}"), ("t", "sample {:g}"), ("lr", "learning rate {:g}")]
    parts = [FASTTEXT_MODELS.get(tr.get("model"), f"model {tr.get('model')}")]
    for key, text in fields:
        value = tr.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            parts.append(text.format(value) + ("s" if key in ("epoch", "neg") and value != 1 else ""))
    return ", ".join(parts) + (" (wvtool)" if tr.get("trainer") == "wvtool" else "")


def _rows(r: dict):
    return ["field", "value"], [(k, v) for k, v in r.items() if k != "command"]


def _render(r: dict):
    t = table(title=f"{r['vectors']}", show_header=False)
    t.add_column("field", style="bold")
    t.add_column("value")
    t.add_row("format", r["format"] + (f" ({r.get('compression') or 'gzip'})" if r["compressed"] else ""))
    if r["file_size"] is not None:  # None for a pipe or standard input
        t.add_row("file size", f"{size_text(r['file_size'])} ({r['file_size']:,} bytes)")
    t.add_row("vectors", f"{r['rows']:,}" + (f" (first {r['limit']:,} read: --limit)" if r.get("limit") is not None else ""))
    t.add_row("dimension", str(r["dim"]))
    t.add_row("dtype", r["dtype"])
    if r["norm_mean"] is not None:
        t.add_row("norms", f"min {r['norm_min']:.4f}  mean {r['norm_mean']:.4f}  max {r['norm_max']:.4f}")
    t.add_row("zero vectors", f"{r['zero_vectors']:,}")
    t.add_row("counts", "yes" if r["has_counts"] else "no")
    t.add_row("output rows", "yes (train --init goes on from them)" if r["has_output_rows"] else "no")
    if r.get("training"):
        t.add_row("trained", training_text(r["training"]))
    sw = r.get("subwords")
    if sw:
        t.add_row("subwords", f"n-grams of {sw['minn']} to {sw['maxn']} characters in {sw['bucket']:,} buckets"
                  + (f"; n-gram matrix {sw['ngram_matrix_bytes'] / (1 << 20):,.1f} MiB" if "ngram_matrix_bytes" in sw else ""))
    t.add_row("sample words", " ".join(r["sample_words"]))
    t.add_row("load time", f"{r['load_seconds']:.3f} s")
    return t
