"""Command: export-matrix."""

from __future__ import annotations

from pathlib import Path

from ..formats import LoadOptions
from .common import VECTORS_ARG, command, emit, load_vectors, table
from .params import Output, option, option_group, output_options


@command(
    short_help="Write the embedding-layer matrix for a tokenizer vocabulary.",
    name="export-matrix",
    help=(
        "Write the embedding matrix for a tokenizer vocabulary (one token per line; row i of the output is "
        "line i), ready to initialise a Keras or PyTorch embedding layer.  Tokens are looked up exactly, then "
        "lowercased; missing tokens get rows drawn from a normal distribution with the table's per-dimension "
        "mean and standard deviation (--missing random, reproducible with --seed) or zeros.  Empty lines keep "
        "their row and count as missing; a repeated token gets the same row each time.  A .npz output holds "
        "the matrix under the key 'embeddings'.\n\n"
        "Example: wvtool export-matrix vectors.bin --vocab vocab.txt -o embedding.npy\n\n"
        "Example: wvtool export-matrix glove.txt --vocab vocab.txt -o emb.npy --missing zeros --json"
    ),
)
@option_group("load", LoadOptions)
@output_options
def export_matrix(
    vectors: Path = VECTORS_ARG,
    vocab: Path = option("vocab_path", ..., help="Vocabulary file: one token per line, UTF-8."),
    output: Path = option("output", ..., help="Output .npy (or .npz) file."),
    missing: str = option("missing", "random"),
    seed: int = option("seed", 0, help="Random seed for --missing random."),
    lowercase_fallback: bool = option("lowercase_fallback", True),
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    from ..export import check_arguments
    from ..export import export_matrix as export
    from ..files import check_readable

    # everything that can be checked is checked before the (possibly long) load
    check_arguments(output, missing, inputs=[vocab, vectors])
    check_readable(vocab)
    kv = load_vectors(vectors, load, ui.quiet)
    result = export(kv, vocab, output, missing=missing, seed=seed, lowercase_fallback=lowercase_fallback)
    emit(result, ui.as_json, _render_coverage)


def _render_coverage(r: dict):
    from rich.console import Group
    from rich.text import Text

    t = table("tokens")
    t.add_column("count", justify="right")
    t.add_column("%", justify="right")
    t.add_row("found exactly", f"{r['exact']:,}", f"{r['exact_pct']:.1f}")
    t.add_row("found lowercased", f"{r['lowercase']:,}", f"{r['lowercase_pct']:.1f}")
    fill = "zeros" if r["fill"]["missing"] == "zeros" else f"random, seed {r['fill'].get('seed', 0)}"
    t.add_row(f"missing ({fill})", f"{r['missing']:,}", f"{r['missing_pct']:.1f}")
    lines = [Text(f"{r['output']}: {r['rows']:,} x {r['dim']} matrix for {r['vocab']}", no_wrap=True), t]
    if r["missing_examples"]:
        lines.append(Text("missing e.g.: " + " ".join(repr(w) for w in r["missing_examples"][:8]), no_wrap=True))
    return Group(*lines)
