"""Commands: info, convert, export-matrix."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import (
    ENCODING_OPTION,
    FORMAT_OPTION,
    JSON_OPTION,
    LIMIT_OPTION,
    QUIET_OPTION,
    UNICODE_ERRORS_OPTION,
    app,
    emit,
    info,
    load_vectors,
    progress_bar,
    table,
)


def _size(n: int) -> str:
    for unit, div in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n} B"


# --- info -----------------------------------------------------------------------------------


@app.command(
    name="info",
    help=(
        "Describe a vector file: format, size, number of vectors, dimension, norm statistics, sample words "
        "and how long it took to load.\n\n"
        "Example: wvtool info vectors.bin\n\n"
        "Example: wvtool info glove.6B.100d.txt.gz --limit 10000 --json"
    ),
)
def info_(
    vectors: Path = typer.Argument(..., help="Vector file (word2vec text or binary, GloVe, fastText .vec, native .wv; .gz ok)."),
    format: str | None = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
    encoding: str = ENCODING_OPTION,
    unicode_errors: str = UNICODE_ERRORS_OPTION,
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from ..files import check_readable
    from ..formats import file_info

    check_readable(vectors)
    with progress_bar(f"loading {vectors.name}", "vectors", quiet) as progress:
        result = file_info(vectors, format, limit=limit, encoding=encoding, unicode_errors=unicode_errors, progress=progress)
    emit(result, as_json, _render_info)



def _render_info(r: dict):
    t = table(title=f"{r['path']}", show_header=False)
    t.add_column("field", style="bold")
    t.add_column("value")
    fmt = r["format"] + (" (gzip)" if r["compressed"] else "")
    t.add_row("format", fmt)
    t.add_row("file size", f"{_size(r['file_size'])} ({r['file_size']:,} bytes)")
    vec = f"{r['vectors']:,}" + (f" (first {r['limit']:,} read: --limit)" if r.get("limit") is not None else "")
    t.add_row("vectors", vec)
    t.add_row("dimension", str(r["dim"]))
    t.add_row("dtype", r["dtype"])
    if r["norm_mean"] is not None:
        t.add_row("norms", f"min {r['norm_min']:.4f}  mean {r['norm_mean']:.4f}  max {r['norm_max']:.4f}")
    t.add_row("zero vectors", f"{r['zero_vectors']:,}")
    t.add_row("counts", "yes" if r["has_counts"] else "no")
    t.add_row("sample words", " ".join(r["sample_words"]))
    t.add_row("load time", f"{r['load_seconds']:.3f} s")
    return t


# --- convert ----------------------------------------------------------------------------------


@app.command(
    help=(
        "Convert a vector file to another format.  The output format is --to, or chosen by the output "
        "extension: .txt word2vec text, .bin word2vec binary, .vec fastText, .glove GloVe text, .wv native "
        "(memory-mapped, fastest to load); add .gz to compress.  The output is written to a temporary file "
        "and renamed into place.\n\n"
        "Example: wvtool convert GoogleNews-vectors-negative300.bin.gz news.wv --limit 200000\n\n"
        "Example: wvtool convert glove.6B.100d.txt glove.bin --normalize"
    ),
)
def convert(
    src: Path = typer.Argument(..., help="Input vector file (any format wvtool reads)."),
    dst: Path = typer.Argument(..., help="Output file."),
    to: str | None = typer.Option(None, "--to", "-t", help="Output format (word2vec, word2vec-binary, glove, fasttext, native); default: from the output extension."),
    limit: int | None = LIMIT_OPTION,
    normalize: bool = typer.Option(False, "--normalize", help="Scale every vector to unit length."),
    format: str | None = FORMAT_OPTION,
    encoding: str = ENCODING_OPTION,
    unicode_errors: str = UNICODE_ERRORS_OPTION,
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from .. import formats as io
    from ..files import check_output, check_readable

    check_readable(src)  # fail before the progress bar is drawn
    check_output(dst, inputs=[src])
    with progress_bar(f"converting {src.name}", "vectors", quiet) as progress:
        result = io.convert(
            src,
            dst,
            to,
            limit=limit,
            normalize=normalize,
            format=format,
            encoding=encoding,
            unicode_errors=unicode_errors,
            progress=progress,
        )
    if as_json:
        emit(result, True)
        return
    info(
        f"wrote {result['vectors']:,} x {result['dim']} vectors ({result['output_format']}"
        f"{', normalized' if normalize else ''}) to {result['output']} ({_size(result['output_size'])}) "
        f"from {result['input_format']} in {result['seconds']:.2f} s",
        quiet,
    )


# --- export-matrix ----------------------------------------------------------------------------


@app.command(
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
def export_matrix(
    vectors: Path = typer.Argument(..., help="Vector file (any format wvtool reads)."),
    vocab: Path = typer.Option(..., "--vocab", help="Vocabulary file: one token per line, UTF-8."),
    output: Path = typer.Option(..., "--output", "-o", help="Output .npy (or .npz) file."),
    missing: str = typer.Option("random", "--missing", help="Rows for tokens not in the table: random or zeros."),
    seed: int = typer.Option(0, "--seed", help="Random seed for --missing random."),
    no_lowercase_fallback: bool = typer.Option(False, "--no-lowercase-fallback", help="Do not try the lowercased token."),
    format: str | None = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
    encoding: str = ENCODING_OPTION,
    unicode_errors: str = UNICODE_ERRORS_OPTION,
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from ..export import check_arguments
    from ..export import export_matrix as export
    from ..files import check_readable

    # everything that can be checked is checked before the (possibly long) load
    check_arguments(output, missing, inputs=[vocab, vectors])
    check_readable(vocab)
    kv = load_vectors(vectors, format, limit, encoding, unicode_errors, quiet)
    result = export(kv, vocab, output, missing=missing, seed=seed, lowercase_fallback=not no_lowercase_fallback)
    emit(result, as_json, _render_coverage)


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
