"""Reading and writing vector files: word2vec text and binary, GloVe, fastText .vec, native.

One module per format family, each with its reader and writer side by side
(:mod:`.text`, :mod:`.binary`, :mod:`.native`), shared helpers in
:mod:`.common`, detection in :mod:`.detect`, and the list of formats in
:mod:`.registry` (the names in :data:`FORMATS` come from it).

The format is detected from the file's content (:func:`detect_format`); the
extension is used only to tell ``fasttext`` from ``word2vec``.  Gzip input is
recognised by its magic bytes.  Every reader validates what it reads and
raises :class:`~wvtool.errors.FormatError` naming the file and the line or
record; duplicate words keep their first occurrence and are reported with a
:class:`~wvtool.errors.WvtoolWarning`.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .. import settings
from ..errors import ConfigError, FormatError
from ..files import (
    DAMAGED,
    STDIN,
    STDOUT,
    Source,
    WholeWrites,
    atomic_output,
    check_output,
    check_readable,
    open_output_stream,
    open_source,
    output_compression,
    regular_size,
)
from ..progress import Progress, no_progress
from ..vectors import Vectors
from . import registry
from .common import DEFAULT_CHUNK, PEEK_BYTES, strip_gz
from .detect import detect, detect_format
from .options import UNICODE_ERRORS, LoadOptions, SaveOptions
from .registry import EXTENSIONS, FORMATS, READABLE, STREAMABLE, SUBWORD_EXTENSIONS, SUBWORD_FORMATS, WRITABLE

# ======================================================================================
# load
# ======================================================================================


def _check_file_arg(name: str, x, mode: str) -> None:
    """ConfigError naming ``name`` unless ``x`` is a path, ``"-"`` or a binary stream open for ``mode`` (``"rb"``
    to read from, ``"wb"`` to write to)."""
    reading = mode == "rb"
    if isinstance(x, io.TextIOBase):
        raise ConfigError(f"{{{name}}} is a text-mode stream; open the file in binary mode ('{mode}')")
    if hasattr(x, "read" if reading else "write") or isinstance(x, (str, os.PathLike)):
        return
    if reading and isinstance(x, Vectors):
        raise ConfigError(f"{{{name}}} is a vector table, not a file; write it with wvtool.save(vectors, path)")
    what = "a file path, '-' or an open binary stream" if reading else "a file name, '-' or a binary stream"
    raise ConfigError(f"{{{name}}} must be {what}, not {type(x).__name__}")



def load(
    path,
    format: str | None = None,
    *,
    limit: int | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    options: LoadOptions | None = None,
    progress: Progress | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Vectors:
    """Read a vector file of any supported format into a :class:`Vectors` table.

    ``path`` is a file path, ``"-"`` (standard input) or an open binary
    stream.  ``format`` forces a format (one of :data:`READABLE`); by default it is
    detected from the content.  ``limit`` reads only the first ``limit``
    vectors and stops reading there.  ``encoding`` and ``unicode_errors``
    (``strict``, ``replace`` or ``ignore``) decode the words.  ``options``: a
    :class:`LoadOptions` holding these four settings instead (the keywords are
    then ignored).  ``progress`` is called as ``progress(done, total, info)``
    with vectors read so far.  ``chunk_size`` (bytes per read) exists for tests.
    """
    _check_file_arg("path", path, "rb")
    settings.callback("progress", progress)
    if options is None:
        options = LoadOptions(format=format, limit=limit, encoding=encoding, unicode_errors=unicode_errors)
    if chunk_size < 1:
        raise ConfigError(f"{{chunk_size={chunk_size}}} must be >= 1")
    with open_source(path, peek=PEEK_BYTES) as src:
        return _read(src, options, progress, chunk_size)[1]


def _read(src: Source, options: LoadOptions, progress: Progress | None, chunk_size: int) -> tuple[str, Vectors]:
    """Read an open source in ``options.format``, or the format its content shows: (format, table).

    A forced format that a magic number shows to be wrong (the file has another format's, or lacks the forced
    one's) gets a FormatError whose fix says what the file looks like, unless the reader's own fix names it."""
    if options.format is None:
        name = detect(src)
        return name, _read_as(src, name, options, progress, chunk_size)
    try:
        return options.format, _read_as(src, options.format, options, progress, chunk_size)
    except FormatError as e:
        try:
            seen = detect(src)  # from the bytes peeked at the start
        except FormatError:
            seen = options.format
        sure = registry.get(seen).magic or registry.get(options.format).magic
        if seen == options.format or not sure or seen in e.template:
            raise
        raise FormatError(e.path, e.where, e.problem, f"the content looks like {seen} format: leave out {{format}}") from e


def _read_as(src: Source, format: str, options: LoadOptions, progress: Progress | None, chunk_size: int) -> Vectors:
    fmt = registry.get(format)
    try:
        return fmt.read(src, options, progress or no_progress, chunk_size)
    except (OSError, EOFError) as e:  # e.g. a damaged gzip stream
        raise FormatError(src.name, None, f"cannot read the file ({e})", DAMAGED) from e


# ======================================================================================
# save
# ======================================================================================


def format_for_path(path, param: str = "format", *, subwords: bool = False) -> str:
    """The format :func:`save` picks for a file name (a compression suffix, ``.gz``, ``.bz2`` or ``.xz``, ignored);
    ConfigError naming ``param`` if unknown.

    ``subwords``: the table has subwords, so an ending that also names a subword format picks it
    (``.bin``: a fastText model instead of word2vec binary).
    """
    output_compression(path)  # a .zip name: FileError, wvtool does not write zip archives
    ext = os.path.splitext(strip_gz(path))[1]
    if subwords and ext in SUBWORD_EXTENSIONS:
        return SUBWORD_EXTENSIONS[ext]
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    known = ", ".join(f"{e} ({f})" for e, f in EXTENSIONS.items())
    raise ConfigError(
        f"cannot tell the output format from the name {str(path)!r}; use one of {known} or pass {{{param}=FORMAT}}"
    )


def output_format(path, format: str | None = None, *, subwords: bool = False, keep_subwords: bool = False,
                  param: str = "format") -> str:
    """The format a table is written in: ``format`` if given, else chosen by :func:`format_for_path`.

    ``subwords``: the table has subwords.  With ``keep_subwords`` a format that
    cannot hold the n-gram matrix is refused (ConfigError naming ``param``) instead of
    writing only the vocabulary's vectors.  A format that cannot be written, or not to ``path`` (projector output,
    several files, to a stream), is refused too.  Call it before a long computation to fail early.
    """
    fmt = registry.get(format or format_for_path(path, param, subwords=subwords), param, "output format")
    if fmt.write is None:
        raise ConfigError(f"{fmt.name} files can be read but not written; choose another {{{param}}}")
    if fmt.companions and _is_stream(path):
        raise ConfigError(f"{fmt.name} output is several files and cannot go to a stream; give a file name")
    if subwords and keep_subwords and not fmt.subwords:
        endings = sorted({*SUBWORD_EXTENSIONS, *(e for f in registry.REGISTRY if f.subwords for e in f.extensions)})
        fixes = " or ".join(f"{{{param}={name}}}" for name in SUBWORD_FORMATS)
        raise ConfigError(f"{fmt.name} format cannot hold the n-gram table of a subword model "
                          f"({{keep_subwords=True}}); name the output {' or '.join(endings)}, or pass {fixes}")
    return fmt.name


def subwords_written(vectors: Vectors, format: str) -> bool | None:
    """For a subword table, whether ``format`` writes its n-gram matrix (False: only the words' vectors); None
    for a word-only table."""
    return None if vectors.subwords is None else registry.get(format).subwords


def save(
    vectors: Vectors,
    path,
    format: str | None = None,
    *,
    keep_subwords: bool = False,
    vectors_only: bool = False,
    inputs: Iterable = (),
    options: SaveOptions | None = None,
    progress: Progress | None = None,
) -> Path | None:
    """Write ``vectors`` to ``path`` atomically; return the path.

    The format is ``format`` or chosen by extension: ``.txt`` word2vec text,
    ``.bin`` word2vec binary (a fastText model for a subword table), ``.vec``
    fastText, ``.glove`` GloVe, ``.wv`` native.  A ``.gz``, ``.bz2`` or ``.xz`` suffix
    compresses the output (native files are then not memory-mapped on load); a
    ``.zip`` name is refused (FileError).  A subword table
    written to a word-only format writes its vocabulary's vectors, as fastText's
    ``.vec`` does; with ``keep_subwords`` that is a ConfigError instead (and
    nothing is written).  A table's output rows are written where the format
    holds them (``.wv``, a fastText ``.bin``) unless ``vectors_only``.  ``inputs``
    are paths that must not be overwritten (one path, a str or path-like, is taken as one).  Floats are written as ``%.9g``, which
    reads back to the identical float32.

    ``path`` may also be ``"-"`` (standard output) or a binary stream (an object
    with ``write``): every format is written front to back, so any can be
    streamed; ``format`` is then required, nothing is compressed and None is returned.  ``options``: a
    :class:`SaveOptions` holding ``keep_subwords`` and ``vectors_only`` instead (the keywords are then ignored).
    ``vectors`` comes first (``save(vectors, path)``); a path, or anything else that is not a
    table, in its place is a ConfigError, as is a ``path`` that is not a name or a binary stream.
    """
    settings.table("vectors", vectors, path_hint="the table comes first: wvtool.save(vectors, path)")
    _check_file_arg("path", path, "wb")
    settings.callback("progress", progress)
    save_opts = _save_options(options, keep_subwords, vectors_only)
    if save_opts.vectors_only:
        vectors = vectors.without_output_rows()
    return _save(vectors, path, format, "format", inputs, progress, save_opts.keep_subwords)


def _save_options(options, keep_subwords, vectors_only, param: str = "options") -> SaveOptions:
    """``options`` (the parameter ``param``), or a :class:`SaveOptions` of the two keywords (checked:
    ``vectors_only="no"`` is an error)."""
    if options is None:
        return SaveOptions(keep_subwords=keep_subwords, vectors_only=vectors_only)
    if not isinstance(options, SaveOptions):
        raise ConfigError(f"{{{param}}} must be a SaveOptions, not {type(options).__name__}")
    return options


def _is_stream(path) -> bool:
    return str(path) == STDOUT or hasattr(path, "write")


def _save(vectors: Vectors, path, format: str | None, param: str, inputs: Iterable, progress,
          keep_subwords: bool = False) -> Path | None:
    if format is None and _is_stream(path):
        raise ConfigError(f"writing to a stream needs a format: pass {{{param}=FORMAT}} (one of {', '.join(STREAMABLE)})")
    name = output_format(path, format, subwords=vectors.subwords is not None, keep_subwords=keep_subwords, param=param)
    fmt = registry.get(name, param)
    problem = fmt.check_words(vectors.words) if fmt.check_words else None
    if problem:
        raise ConfigError(f"cannot write {problem} in {fmt.name} format; drop or rename it, or choose another {{{param}}}")
    problem = fmt.check_table(vectors) if fmt.check_table else None
    if problem:
        others = [f.name for f in registry.REGISTRY if f.read and f.write and f.extensions
                  and not (f.check_table and f.check_table(vectors))]
        fix = f"choose another {{{param}}}: {', '.join(others)}" if others else "no format wvtool writes can hold it"
        raise ConfigError(f"cannot write {problem} in {fmt.name} format; {fix}")
    companions = fmt.companions(Path(str(path))) if fmt.companions and not _is_stream(path) else ()
    if _is_stream(path):
        out = WholeWrites(sys.stdout.buffer) if str(path) == STDOUT else path
        fmt.write(vectors, out, progress or no_progress)
        out.flush()
        return None
    inputs = [inputs] if isinstance(inputs, (str, bytes, os.PathLike)) else list(inputs)  # never split into characters
    with contextlib.ExitStack() as stack:  # every file renamed into place only when all are written
        for target, write in ((path, fmt.write), *companions):
            tmp = stack.enter_context(atomic_output(target, inputs=inputs))
            with open_output_stream(tmp, target) as out:
                write(vectors, out, progress or no_progress)
    return Path(path)


# ======================================================================================
# info and convert
# ======================================================================================


def file_info(path, format: str | None = None, **load_kwargs) -> dict:
    """Describe a vector file: format, size, shape, norm statistics, sample words, load time."""
    _check_file_arg("path", path, "rb")
    settings.callback("progress", load_kwargs.get("progress"))
    options = load_kwargs.pop("options", None) or LoadOptions(format=format, **_option_kwargs(load_kwargs))
    t0 = time.perf_counter()
    with open_source(path, peek=PEEK_BYTES) as src:
        fmt, kv = _read(src, options, load_kwargs.get("progress"), load_kwargs.get("chunk_size", DEFAULT_CHUNK))
    seconds = time.perf_counter() - t0
    norms = kv.norms()
    return {
        "path": src.name,
        "format": fmt,
        "compressed": src.compression is not None,
        "compression": src.compression,
        "file_size": _size_on_disk(src),
        "vectors": len(kv),
        "dim": kv.dim,
        "dtype": str(kv.vectors.dtype),
        "norm_min": float(norms.min()) if len(norms) else None,
        "norm_mean": float(norms.mean()) if len(norms) else None,
        "norm_max": float(norms.max()) if len(norms) else None,
        "zero_vectors": int(np.count_nonzero(norms == 0)),
        "sample_words": list(kv.words[:8]),
        "has_counts": kv.counts is not None,
        "has_output_rows": kv.output_rows is not None,
        "training": kv.training,
        "subwords": kv.subwords.describe() if kv.subwords is not None else None,
        "limit": options.limit,
        "load_seconds": seconds,
    }


def _size_on_disk(src: Source) -> int | None:
    """The input's size in bytes (compressed size for gzip), None for a pipe or standard input."""
    return src.size if src.size is not None else regular_size(src.name)


def _option_kwargs(kwargs: dict) -> dict:
    return {k: kwargs[k] for k in ("limit", "encoding", "unicode_errors") if k in kwargs}


def convert(
    src,
    dst,
    to: str | None = None,
    *,
    limit: int | None = None,
    normalize: bool = False,
    keep_subwords: bool = False,
    vectors_only: bool = False,
    format: str | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    options: LoadOptions | None = None,
    save_options: SaveOptions | None = None,
    progress: Progress | None = None,
) -> dict:
    """Read ``src`` (any format) and write it to ``dst`` (format ``to`` or by extension).

    Without ``to`` the extension decides once the table is read: ``.bin`` is a
    fastText model for a subword table, word2vec binary otherwise.  A subword
    table written to a word-only format loses its n-gram matrix (the result's
    ``subwords_written`` is False), or with ``keep_subwords`` is refused.
    ``limit`` keeps the first N vectors; ``normalize`` scales rows to unit
    length; ``vectors_only`` leaves out the output rows (see :func:`save`); ``format``, ``encoding`` and ``unicode_errors`` (or ``options``) are
    as for :func:`load`; ``keep_subwords`` and ``vectors_only`` (or ``save_options``, a :class:`SaveOptions`) as
    for :func:`save`.  The output path is checked before anything is read.
    """
    _check_file_arg("src", src, "rb")
    _check_file_arg("dst", dst, "wb")
    settings.callback("progress", progress)
    save_opts = _save_options(save_options, keep_subwords, vectors_only, "save_options")
    keep_subwords, vectors_only = save_opts.keep_subwords, save_opts.vectors_only
    if options is None:
        options = LoadOptions(format=format, limit=limit, encoding=encoding, unicode_errors=unicode_errors)
    src_is_path = not hasattr(src, "read") and str(src) != STDIN
    if src_is_path:
        check_readable(src)
    if to is None and _is_stream(dst):
        raise ConfigError(f"writing to a stream needs a format: pass {{to=FORMAT}} (one of {', '.join(STREAMABLE)})")
    if to is not None:
        to = registry.get(to, "to", "output format").name
    else:
        format_for_path(dst, "to")  # an unknown extension fails before the read
    if not _is_stream(dst):
        check_output(dst, inputs=[src] if src_is_path else [])
    t0 = time.perf_counter()
    with open_source(src, peek=PEEK_BYTES) as source:
        fmt, kv = _read(source, options, progress, DEFAULT_CHUNK)
    t_load = time.perf_counter() - t0
    if normalize:
        kv = kv.normalized()
    if vectors_only:
        kv = kv.without_output_rows()
    to = output_format(dst, to, subwords=kv.subwords is not None, keep_subwords=keep_subwords, param="to")
    out = _save(kv, dst, to, "to", [src] if src_is_path else [], progress)
    seconds = time.perf_counter() - t0
    return {
        "input": source.name,
        "input_format": fmt,
        "output": str(out) if out is not None else (STDOUT if str(dst) == STDOUT else None),
        "output_format": to,
        "vectors": len(kv),
        "dim": kv.dim,
        "normalized": normalize,
        "subwords_written": subwords_written(kv, to),
        "output_size": None if out is None else regular_size(out),  # None for a stream, a FIFO, a device
        "load_seconds": t_load,
        "seconds": seconds,
    }


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "LoadOptions",
    "READABLE",
    "SaveOptions",
    "WRITABLE",
    "UNICODE_ERRORS",
    "convert",
    "detect_format",
    "file_info",
    "format_for_path",
    "load",
    "output_format",
    "save",
]
