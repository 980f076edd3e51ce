"""Command: train."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from ..files import STDOUT
from ..formats import WRITABLE, SaveOptions
from ..trainer import TrainConfig
from .common import command, document, emit, info, plural, subwords_note, table
from .params import Output, option, option_group, output_options


@command(
    short_help="Train word vectors on text files (skip-gram or CBOW, optional subwords).",
    help=(
        "Train word vectors (skip-gram or CBOW with negative sampling; with --subwords, fastText's character "
        "n-gram model) on plain-text files, one sentence per line.\n\n"
        "Files may be compressed (gzip, bzip2, xz, zip) and must be UTF-8 text; '-' reads standard input; a directory stands for every file below it, in "
        "sorted order, and a quoted pattern such as 'data/*.txt.gz' ('**' for any depth) for the files it "
        "matches.  Defaults are word2vec's.  "
        "Memory: about 4 bytes per corpus token plus 2 x dim x 4 bytes per vocabulary word.\n\n"
        "Example: wvtool train corpus.txt.gz -o vectors.bin --threads 2 --epochs 5"
    ),
)
@option_group("config", TrainConfig)
@option_group("save", SaveOptions)
@output_options
def train(
    corpus: list[str] = typer.Argument(..., metavar="CORPUS...", help="UTF-8 text files (.gz, .bz2, .xz, .zip read as they are, '-' for standard input), or directories of them."),
    output: Path = option("output", ..., help="Output vector file; format from the extension or --format "
                          "('-': standard output, with --format; the summary then goes to stderr)."),
    format: str | None = option("format", None, help="Output format: {choices}; default: from the extension.",
                                choices=WRITABLE),
    init: Path | None = option("init", None),
    init_format: str | None = option("init_format", None),
    save_vocab: Path | None = option("save_vocab", None),
    config: TrainConfig = None,
    save: SaveOptions = None,
    ui: Output = None,
) -> None:
    from .. import formats
    from ..corpus import corpus_files
    from ..errors import ConfigError, FileError, FormatError
    from ..files import check_output, check_readable, same_path
    from ..formats.vocab import save_vocab as write_vocab
    from ..trainer import resolve_dim
    from ..trainer import train as train_vectors
    from .progress import progress_bar

    # everything that can fail is checked before an hour of training, not after
    out_format = formats.output_format(output, format, subwords=config.subwords, keep_subwords=save.keep_subwords)
    files = corpus_files(corpus)
    check_output(output, files)
    if save_vocab is not None:
        if str(save_vocab) == "-":  # not a file named '-': standard output holds the summary (or the vectors)
            raise ConfigError("{save_vocab} takes a file name; standard output (-) holds the summary or the vectors")
        check_output(save_vocab, files)
        for name, other in (("output", output), ("init", init)):
            if other is not None and same_path(save_vocab, other):
                raise FileError(f"{save_vocab}: {{save_vocab}} names the {{{name}}} file, which it would overwrite; "
                                "give the vocabulary another name")
    for path in files:
        if path != "-":
            check_readable(path)
    start = None
    if init is not None:
        try:
            start = formats.load(init, format=init_format)
        except FormatError as e:  # in this command --format is the output's: the --init file's is --init-format
            e.template = re.sub(r"\{format(?=[=}])", "{init_format", e.template)
            raise
        resolve_dim(config, start)
    elif init_format is not None:
        raise ConfigError("{init_format} says the format of an {init} file; give {init} too, or leave it out")
    with progress_bar("training", "words", ui.quiet) as bar:
        vectors = train_vectors(files, config, init=start, progress=bar)
    formats.save(vectors, output, format=out_format, options=save, inputs=files)
    if formats.subwords_written(vectors, out_format) is False:
        info(subwords_note(out_format), ui.quiet)
    if save_vocab is not None:
        try:
            write_vocab(vectors, save_vocab, inputs=files)
        except FileError as e:  # its message is about the vocabulary file: say what became of the vectors
            raise FileError(f"{e} (the vectors were written to {output})") from None
    stats = vectors.stats
    result = document("train", corpus=[str(f) for f in files], output=str(output), format=out_format,
                      subwords_written=formats.subwords_written(vectors, out_format), **stats.as_dict())
    emit(result, ui, lambda r: _summary(stats, output, init is not None), _rows, data_on_stdout=str(output) == STDOUT)


def _rows(r: dict):
    flat = {k: v for k, v in r.items() if k not in ("command", "config")}
    flat.update({f"config.{k}": v for k, v in r["config"].items()})
    return ["field", "value"], list(flat.items())


def _summary(stats, output, from_init: bool):
    t = table("", "", title="training summary", show_header=False)
    sub = getattr(stats, "subwords", None)
    ngrams = "" if not sub else " with no character n-grams (maxn 0)" if sub["maxn"] == 0 else (
        f" with character {sub['minn']}- to {sub['maxn']}-grams in {sub['bucket']:,} buckets")
    t.add_row("model", stats.model + ngrams + (f", {stats.neg_share} centre words per set of negatives" if stats.neg_share > 1 else ""))
    t.add_row("vocabulary", f"{plural(stats.vocab_size, 'word')} (of {stats.distinct_words:,} distinct)")
    t.add_row("tokens", f"{stats.corpus_tokens:,} in vocabulary (of {stats.raw_tokens:,} read), {plural(stats.sentences, 'line')}")
    if from_init:
        ngrams = " and its n-gram rows" if (sub or {}).get("from_init") else ""
        outputs = " with their output rows" if stats.output_from_init else ""
        t.add_row("from --init", f"{plural(stats.from_init, 'word')}{outputs}{ngrams}")
        if stats.kept_from_init:
            t.add_row("kept from --init", f"{stats.kept_from_init:,} more {'word' if stats.kept_from_init == 1 else 'words'}, "
                                          "as they were (--keep-init-words)")
    # loading a compiled kernel takes a fraction of a second; compiling it (once) 15 to 20 s
    compiled = f"{stats.compile_seconds:.1f} s compiling (first run only), " if stats.compile_seconds >= 1 else ""
    t.add_row("time", f"{stats.read_seconds:.1f} s reading, {compiled}{stats.train_seconds:.1f} s training "
                      f"({plural(stats.epochs, 'epoch')}, {plural(stats.threads, 'thread')})")
    t.add_row("speed", f"{stats.words_per_second:,.0f} words/s")
    if stats.epoch_loss:
        t.add_row("loss per epoch", " ".join(f"{x:.4f}" for x in stats.epoch_loss))
    t.add_row("output", str(output))
    return t
