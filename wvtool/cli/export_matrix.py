"""Command: export-matrix."""

from __future__ import annotations

from pathlib import Path

from ..export import ExportOptions
from ..files import shown_name
from ..formats import LoadOptions
from .common import VECTORS_ARG, command, document, emit, table
from .params import Output, option, option_group, output_options


@command(
    short_help="Write the embedding-layer matrix for a tokenizer vocabulary.",
    name="export-matrix",
    help=(
        "Write the embedding matrix for a tokenizer vocabulary, ready to initialise a Keras or PyTorch embedding "
        "layer: a plain, WordPiece or SentencePiece vocabulary (one token per line: row i of the output is line "
        "i) or a Hugging Face tokenizer.json or vocab.json (row i is token id i); the kind is found from the file "
        "(--vocab-format names it).  Tokens are looked up exactly, then "
        "lowercased; missing tokens get rows drawn from a normal distribution with the table's per-dimension "
        "mean and standard deviation (--missing random, reproducible with --seed) or zeros.  An empty line "
        "keeps its row, a zero row counted as a special token; a repeated token gets the same row each time.  A .npz output holds "
        "the matrix under the key 'embeddings'.\n\n"
        "Example: wvtool export-matrix vectors.bin --vocab vocab.txt -o embedding.npy\n\n"
        "Example: wvtool export-matrix glove.txt --vocab vocab.txt -o emb.npy --missing zeros --json"
    ),
)
@option_group("export", ExportOptions, seed={"help": "Random seed for --missing random."})
@option_group("load", LoadOptions)
@output_options
def export_matrix(
    vectors: Path = VECTORS_ARG,
    vocab: Path = option("vocab_path", ..., help="Vocabulary file (UTF-8): one token per line, or a tokenizer.json / vocab.json."),
    output: Path = option("output", ..., help="Output .npy (or .npz) file."),
    export: ExportOptions = None,
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    from ..export import export_matrix as write_matrix
    from .progress import progress_bar

    with progress_bar(f"loading {shown_name(vectors)}", "vectors", ui.quiet) as progress:
        # every argument and the vocabulary are checked before the (possibly large) file is read
        result = write_matrix(vectors, vocab, output, options=export, load_options=load, progress=progress)
    result = document("export-matrix", **{**result, "vectors": str(vectors)})
    emit(result, ui, _render_coverage, lambda r: (["field", "value"], [(k, v) for k, v in r.items() if k != "command"]))


def _render_coverage(r: dict):
    """The coverage table: how each row was filled (kinds with no row are left out, except exact and missing)."""
    from rich.console import Group
    from rich.text import Text

    t = table("rows filled", title=None)
    t.add_column("count", justify="right")
    t.add_column("%", justify="right")
    fill = "zeros" if r["fill"]["missing"] == "zeros" else f"random, seed {r['fill']['seed']}"
    kinds = [("exact", "found exactly"), ("lowercase", "found lowercased"), ("piece", "subword piece found as its word"),
             ("composed", "composed from subwords"), ("special", "special token (zeros)"), ("unused", "unused id (zeros)"),
             ("missing", f"missing ({fill})")]
    for key, label in kinds:
        if key in r and (r[key] or key in ("exact", "missing")):
            t.add_row(label, f"{r[key]:,}", f"{r[key + '_pct']:.1f}")
    what = f" ({r['vocab_format']})" if r.get("vocab_format") else ""
    lines = [Text(f"{r['output']}: {r['rows']:,} x {r['dim']} matrix for {r['vocab']}{what}", no_wrap=True), t]
    for key in ("special", "missing"):
        if r.get(f"{key}_examples"):
            lines.append(Text(f"{key} e.g.: " + " ".join(repr(w) for w in r[f"{key}_examples"][:8]), no_wrap=True))
    return Group(*lines)
