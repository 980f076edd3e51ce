"""Command: train."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import JSON_OPTION, QUIET_OPTION, app, emit, info, progress_bar, table

_EXAMPLE = """
Example: wvtool train corpus.txt.gz -o vectors.bin --threads 2 --epochs 5
"""


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@app.command(
    help=(
        "Train word vectors (skip-gram with negative sampling) on plain-text files, one sentence per line.\n\n"
        "Files may be gzipped; '-' reads standard input.  Defaults are word2vec's.  "
        "Memory: about 4 bytes per corpus token plus 2 x dim x 4 bytes per vocabulary word.\n\n"
        + _EXAMPLE
    ),
)
def train(
    corpus: list[str] = typer.Argument(..., help="Text files (.gz read transparently, '-' for standard input)."),
    output: Path = typer.Option(..., "--output", "-o", help="Output vector file; format from the extension or --format."),
    format: str | None = typer.Option(None, "--format", "-f", help="Output format (word2vec, word2vec-binary, glove, fasttext, native)."),
    dim: int | None = typer.Option(None, "--dim", help="Vector dimension (default: 100, or the --init table's)."),
    window: int = typer.Option(5, "--window", help="Maximum distance between a word and its context words."),
    negative: int = typer.Option(5, "--negative", help="Negative samples per context window."),
    min_count: int = typer.Option(5, "--min-count", help="Ignore words occurring fewer times than this."),
    max_vocab: int | None = typer.Option(None, "--max-vocab", help="Keep only the N most frequent words."),
    sample: float = typer.Option(1e-3, "--sample", help="Subsampling threshold for frequent words (0: off)."),
    alpha: float = typer.Option(0.025, "--alpha", help="Initial learning rate."),
    min_alpha: float = typer.Option(0.0001, "--min-alpha", help="Final learning rate."),
    epochs: int = typer.Option(5, "--epochs", help="Passes over the corpus."),
    threads: int | None = typer.Option(None, "--threads", help="Worker threads (default: all cores)."),
    seed: int = typer.Option(1, "--seed", help="Random seed (with --threads 1 the result is bit-for-bit reproducible)."),
    tokens: str = typer.Option("default", "--tokens", help="'default' (words of letters and digits) or 'whitespace'."),
    lowercase: bool = typer.Option(True, "--lowercase/--no-lowercase", help="Lowercase the text before tokenizing."),
    init: Path | None = typer.Option(None, "--init", help="Start from this vector table (any format wvtool reads)."),
    save_vocab: Path | None = typer.Option(None, "--save-vocab", help="Also write the vocabulary as 'word count' lines."),
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from .. import formats as wvio
    from ..corpus import read_corpus
    from ..files import atomic_output, check_output, check_readable
    from ..trainer import TrainStats, make_config, resolve_dim
    from ..trainer import train as train_vectors

    config = make_config(
        dim=dim, window=window, negative=negative, min_count=min_count, max_vocab=max_vocab, sample=sample,
        alpha=alpha, min_alpha=min_alpha, epochs=epochs, threads=threads, seed=seed, tokens=tokens,
        lowercase=lowercase,
    )
    if format is not None and format not in wvio.FORMATS:
        from ..errors import ConfigError

        raise ConfigError(f"--format {format!r} is not a format; use one of {', '.join(wvio.FORMATS)}")
    if format is None:  # an unknown extension fails now, not after training
        wvio.format_for_path(output)  # its message names {format}
    # fail on a bad output path before an hour of training, not after
    check_output(output, corpus)
    if save_vocab is not None:
        check_output(save_vocab, corpus)
    for path in corpus:
        if path != "-":
            check_readable(path)
    start = None
    if init is not None:
        start = wvio.load(init)
        resolve_dim(config, start)
    import time

    stats = TrainStats()
    t0 = time.perf_counter()
    with progress_bar("reading", "bytes", quiet) as bar:
        text = read_corpus(corpus, min_count=config.min_count, max_vocab=config.max_vocab, tokens=config.tokens,
                           lowercase=config.lowercase, progress=bar)
    stats.read_seconds = time.perf_counter() - t0
    with progress_bar("training", "words", quiet) as bar:
        vectors = train_vectors(corpus, config, init=start, progress=bar, stats=stats, corpus=text)
    wvio.save(vectors, output, format=format, inputs=corpus)
    if save_vocab is not None:
        with atomic_output(save_vocab, corpus) as tmp:
            with open(tmp, "w", encoding="utf-8") as f:
                for w, c in zip(vectors.words, vectors.counts, strict=True):
                    f.write(f"{w} {int(c)}\n")
    result = {"output": str(output), **stats.as_dict()}
    if as_json:
        emit(result, True)
    elif not quiet:
        t = table("", "", title="training summary", show_header=False)
        t.add_row("vocabulary", f"{stats.vocab_size:,} words (of {stats.distinct_words:,} distinct)")
        t.add_row("tokens", f"{stats.corpus_tokens:,} in vocabulary (of {stats.raw_tokens:,} read), {stats.sentences:,} lines")
        if init is not None:
            t.add_row("from --init", f"{stats.from_init:,} words")
        t.add_row("time", f"{stats.read_seconds:.1f} s reading, {stats.train_seconds:.1f} s training ({_plural(stats.epochs, 'epoch')}, {_plural(stats.threads, 'thread')})")
        t.add_row("speed", f"{stats.words_per_second:,.0f} words/s")
        t.add_row("output", str(output))
        info("", quiet)
        from .common import err

        err.print(t)
