"""Every command-line setting in one place: its flag(s) and help line, keyed by the library parameter name.

The defaults are not here: option groups (:func:`option_group`) read them
from the library's options dataclasses (``LoadOptions``, ``TrainConfig``,
...), so the CLI and the library can never disagree.  The same table turns a
library error's parameter references (``{dim=0}``) into flags (``--dim 0``):
see :func:`flag_of`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import typer


@dataclass(frozen=True)
class Param:
    """A command-line setting: its option declarations and help line (extra: more ``typer.Option`` arguments)."""

    decls: tuple[str, ...]
    help: str
    extra: dict = dataclasses.field(default_factory=dict)

    @property
    def flag(self) -> str:
        return self.decls[0].split("/")[0]


def _formats() -> str:
    from ..formats import FORMATS

    return ", ".join(FORMATS)


#: library parameter name -> its command-line form (help texts may use {formats})
PARAMS: dict[str, Param] = {
    # reading vector files (LoadOptions)
    "format": Param(("--format", "-f"), "Format of the input ({formats}); default: detected from the content."),
    "limit": Param(("--limit", "-n"), "Read only the first N vectors (the rest of the file is not read).", {"min": 0}),
    "encoding": Param(("--encoding",), "Encoding of the words in the input file."),
    "unicode_errors": Param(
        ("--unicode-errors",),
        "What to do with words that are not valid in --encoding: strict (stop with an error), replace or ignore.",
    ),
    # training (TrainConfig)
    "dim": Param(("--dim",), "Vector dimension \\[default: 100, or the --init table's]."),
    "window": Param(("--window",), "Maximum distance between a word and its context words."),
    "negative": Param(("--negative",), "Negative samples per context window."),
    "min_count": Param(("--min-count",), "Ignore words occurring fewer times than this."),
    "max_vocab": Param(("--max-vocab",), "Keep only the N most frequent words."),
    "sample": Param(("--sample",), "Subsampling threshold for frequent words (0: off)."),
    "alpha": Param(("--alpha",), "Initial learning rate."),
    "min_alpha": Param(("--min-alpha",), "Final learning rate."),
    "epochs": Param(("--epochs",), "Passes over the corpus."),
    "threads": Param(("--threads",), "Worker threads \\[default: all cores]."),
    "seed": Param(("--seed",), "Random seed (with --threads 1 the result is bit-for-bit reproducible)."),
    "tokens": Param(("--tokens",), "'default' (words of letters and digits) or 'whitespace'."),
    "lowercase": Param(("--lowercase/--no-lowercase",), "Lowercase the text before tokenizing."),
    "init": Param(("--init",), "Start from this vector table (any format wvtool reads)."),
    "save_vocab": Param(("--save-vocab",), "Also write the vocabulary as 'word count' lines."),
    "output": Param(("--output", "-o"), "Output file."),
    # converting
    "to": Param(("--to", "-t"), "Output format ({formats}); default: from the output extension."),
    "normalize": Param(("--normalize",), "Scale every vector to unit length."),
    # queries and evaluation
    "k": Param(("-k",), "Number of answers."),
    "restrict": Param(("--restrict",), "Only answer with the N most frequent words (the table's first N rows)."),
    "method": Param(("--method", "-m"), "Method."),
    "pairs": Param(("--pairs",), "File of word pairs."),
    "analogies": Param(("--analogies",), "Analogy questions file."),
    "case_sensitive": Param(("--case-sensitive",), "Match words exactly instead of ignoring case."),
    # plots and export
    "perplexity": Param(("--perplexity",), "t-SNE perplexity."),
    "size": Param(("--size",), "Figure size WIDTHxHEIGHT in inches."),
    "dpi": Param(("--dpi",), "Resolution of PNG output."),
    "top": Param(("--top",), "Plot the N most frequent words."),
    "around": Param(("--around",), "Plot WORD and its nearest neighbours."),
    "groups": Param(("--group",), "NAME=w1,w2,... coloured as one group."),
    "csv": Param(("--csv",), "Also write the 2-D coordinates to this CSV file."),
    "title": Param(("--title",), "Figure title."),
    "vocab_path": Param(("--vocab",), "Vocabulary file."),
    "missing": Param(("--missing",), "Rows for tokens not in the table: random or zeros."),
    "lowercase_fallback": Param(("--lowercase-fallback/--no-lowercase-fallback",), "Try the lowercased token."),
    # output of every command
    "quiet": Param(("--quiet", "-q"), "No progress bar or summary on stderr."),
    "as_json": Param(("--json",), "Print machine-readable JSON instead of a table."),
}


def flag_of(name: str) -> str | None:
    """The command-line flag of a library parameter (None if it has none: the message keeps ``name=value``)."""
    p = PARAMS.get(name)
    return p.flag if p else None


def option(name: str, default, **overrides):
    """A ``typer.Option`` for parameter ``name`` from :data:`PARAMS` (``overrides`` replace its arguments)."""
    p = PARAMS[name]
    kwargs = {"help": p.help, **p.extra, **overrides}
    if "{formats}" in kwargs["help"]:
        kwargs["help"] = kwargs["help"].replace("{formats}", _formats())
    return typer.Option(default, *p.decls, **kwargs)


def option_group(name: str, cls, fields: Sequence[str] | None = None, **help_overrides: str) -> Callable:
    """Decorator: give a command typer options for the fields of the options dataclass ``cls``.

    The options take their defaults from the dataclass fields and their flags
    and help from :data:`PARAMS`; the command receives one validated ``cls``
    instance as the keyword argument ``name``.  ``fields`` limits the options to
    some fields (default: all); ``help_overrides`` replaces a field's help line.
    """
    hints = typing.get_type_hints(cls)
    chosen = [f for f in dataclasses.fields(cls) if fields is None or f.name in fields]

    def decorate(command: Callable) -> Callable:
        signature = inspect.signature(command)
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values() if p.name != name]
        added = []
        for f in chosen:
            extra = {"help": help_overrides[f.name]} if f.name in help_overrides else {}
            added.append(inspect.Parameter(f"{name}__{f.name}", inspect.Parameter.KEYWORD_ONLY,
                                           default=option(f.name, f.default, **extra), annotation=hints[f.name]))

        @functools.wraps(command)
        def wrapper(**kwargs):
            values = {f.name: kwargs.pop(f"{name}__{f.name}") for f in chosen}
            kwargs[name] = cls(**values)  # validated here, once
            return command(**kwargs)

        all_params = params + added
        wrapper.__signature__ = signature.replace(parameters=all_params)
        wrapper.__annotations__ = {p.name: p.annotation for p in all_params}
        return wrapper

    return decorate


@dataclass(frozen=True)
class Output:
    """How a command reports: ``quiet`` (no progress or summary on stderr), ``as_json`` (JSON on stdout)."""

    quiet: bool = False
    as_json: bool = False


def output_options(command: Callable) -> Callable:
    """Decorator: ``--quiet`` and ``--json``; the command receives ``ui: Output``."""
    return option_group("ui", Output)(command)
