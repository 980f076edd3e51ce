"""Command: convert."""

from __future__ import annotations

from pathlib import Path

import typer

from ..files import STDOUT, shown_name
from ..formats import LoadOptions, SaveOptions
from .common import command, document, emit, info, size_text, subwords_note
from .params import Output, option, option_group, output_options


@command(
    short_help="Convert a vector file to another format.",
    help=(
        "Convert a vector file to another format.  The output format is --to, or chosen by the output "
        "extension: .txt word2vec text, .bin word2vec binary (a fastText model for a subword model), .vec "
        "fastText, .glove GloVe text, .wv native (memory-mapped, fastest to load), .tsv the TensorBoard projector's "
        "two files (NAME.tsv and NAME-metadata.tsv); add .gz, .bz2 or .xz to compress.  "
        "A subword model written to a word-only format keeps only its vocabulary's vectors (a note says so; "
        "--keep-subwords makes that an error).  The output is written to a temporary file "
        "and renamed into place.\n\n"
        "Example: wvtool convert GoogleNews-vectors-negative300.bin.gz news.wv --limit 200000\n\n"
        "Example: wvtool convert glove.6B.100d.txt glove.bin --normalize"
    ),
)
@option_group("load", LoadOptions)
@option_group("save", SaveOptions)
@output_options
def convert(
    src: Path = typer.Argument(..., metavar="SOURCE", help="Input vector file (any format wvtool reads)."),
    dst: Path = typer.Argument(..., metavar="DEST", help="Output file; '-' writes the vectors to standard output "
                               "(with --to), and the summary, or its --json/--tsv document, to stderr."),
    to: str | None = option("to", None),
    normalize: bool = option("normalize", False),
    load: LoadOptions = None,
    save: SaveOptions = None,
    ui: Output = None,
) -> None:
    from .. import formats
    from .progress import progress_bar

    with progress_bar(f"converting {shown_name(src)}", "vectors", ui.quiet) as progress:
        done = formats.convert(src, dst, to, normalize=normalize, options=load, save_options=save, progress=progress)
    if done["subwords_written"] is False:
        info(subwords_note(done["output_format"]), ui.quiet)
    result = document("convert", vectors=done.pop("input"), format=done.pop("input_format"), rows=done.pop("vectors"),
                      **done)
    emit(result, ui, _render, lambda r: (["field", "value"], [(k, v) for k, v in r.items() if k != "command"]),
         data_on_stdout=str(dst) == STDOUT)


def _render(r: dict) -> str:
    where = ("standard output" if r["output"] == "-" else r["output"]) if r["output_size"] is None else \
        f"{r['output']} ({size_text(r['output_size'])})"
    return (f"wrote {r['rows']:,} x {r['dim']} vectors ({r['output_format']}{', normalized' if r['normalized'] else ''}) "
            f"to {where} from {r['format']} in {r['seconds']:.2f} s")
