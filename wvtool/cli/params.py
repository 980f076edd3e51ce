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

from ..errors import ConfigError


@dataclass(frozen=True)
class Param:
    """A command-line setting: its option declarations, help line and metavar.

    ``choices``: the allowed values (or a function returning them): a bad
    value is a usage error (exit status 2) and the shell completes them.
    ``extra``: more ``typer.Option`` arguments.
    """

    decls: tuple[str, ...]
    help: str
    metavar: str | None = None
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None
    extra: dict = dataclasses.field(default_factory=dict)

    @property
    def flag(self) -> str:
        return self.decls[0].split("/")[0]

    def allowed(self) -> tuple[str, ...] | None:
        return self.choices() if callable(self.choices) else self.choices


def _readable() -> tuple[str, ...]:
    from ..formats import READABLE

    return tuple(READABLE)


def _writable() -> tuple[str, ...]:
    from ..formats import WRITABLE

    return tuple(WRITABLE)


def _unicode_errors() -> tuple[str, ...]:
    from ..formats.options import UNICODE_ERRORS

    return UNICODE_ERRORS


def _tokenizers() -> tuple[str, ...]:
    from ..corpus import TOKENIZERS

    return TOKENIZERS


def _vocab_formats() -> tuple[str, ...]:
    from ..tokenizer_vocab import VOCAB_FORMATS

    return VOCAB_FORMATS


def _query_methods() -> tuple[str, ...]:
    from ..query import METHODS

    return METHODS


#: library parameter name -> its command-line form (help texts may use {formats})
PARAMS: dict[str, Param] = {
    # reading vector files (LoadOptions)
    "format": Param(("--format", "-f"), "Format of the input: {choices}; default: detected from the content.", "FORMAT", _readable),
    "limit": Param(("--limit", "-n"), "Read only the first N vectors (the rest of the file is not read).", "N"),
    "encoding": Param(("--encoding",), "Encoding of the words in the input file.", "CODEC"),
    "unicode_errors": Param(
        ("--unicode-errors",),
        "What to do with words that are not valid in --encoding: strict (stop with an error), replace or ignore.",
        "MODE", _unicode_errors,
    ),
    # training (TrainConfig)
    "dim": Param(("--dim",), "Vector dimension [default: 100, or the --init table's].", "N"),
    "window": Param(("--window",), "Maximum distance between a word and its context words.", "N"),
    "negative": Param(("--negative",), "Negative samples per context window.", "N"),
    "min_count": Param(("--min-count",), "Ignore words occurring fewer times than this.", "N"),
    "max_vocab": Param(("--max-vocab",), "Keep only the N most frequent words.", "N"),
    "sample": Param(("--sample",), "Subsampling threshold for frequent words (0: off).", "T"),
    "alpha": Param(("--alpha",), "Initial learning rate [default: 0.025 for skipgram, 0.05 for cbow].", "RATE"),
    "model": Param(("--model",), "The model: {choices}.", "MODEL", ("skipgram", "cbow")),
    "cbow_sum": Param(("--cbow-sum",), "CBOW sums the context vectors instead of averaging them."),
    "keep_init_words": Param(("--keep-init-words",), "Keep the --init table's words that the corpus lacks, after "
                             "the corpus's, with their vectors as they were (the vocabulary is otherwise the corpus's)."),
    "neg_share": Param(("--neg-share",), "Consecutive centre words sharing one set of negative samples [default: "
                       "skipgram 4 on corpora of 10M tokens or more, else 1; cbow 1; --subwords skipgram 4].", "N"),
    "subwords": Param(("--subwords",), "Train fastText subword vectors: a word's vector is the mean of its own row "
                      "and its character n-grams' rows (-o NAME.bin writes a fastText model)."),
    "minn": Param(("--minn",), "Shortest character n-gram, with --subwords [default: 3, or the --init model's].", "N"),
    "maxn": Param(("--maxn",), "Longest character n-gram, with --subwords (0: none) [default: 6, or the --init model's].", "N"),
    "bucket": Param(("--bucket",), "Hash buckets (rows) for the n-grams, with --subwords [default: 2000000, or the --init model's].", "N"),
    "min_alpha": Param(("--min-alpha",), "Final learning rate.", "RATE"),
    "epochs": Param(("--epochs",), "Passes over the corpus.", "N"),
    "threads": Param(("--threads",), "Threads training uses, and processes tokenizing a large corpus [default: all cores].", "N"),
    "seed": Param(("--seed",), "Random seed (with --threads 1 the result is bit-for-bit reproducible).", "N"),
    "tokens": Param(("--tokens",), "How to split lines into words: {choices}.", "NAME", _tokenizers),
    "token_pattern": Param(("--token-pattern",), "Regular expression whose matches are the tokens (instead of the default tokenizer).", "REGEX"),
    "skip_lines": Param(("--skip-lines",), "Leave out lines matching this regular expression ('' keeps every line).", "REGEX"),
    "lowercase": Param(("--lowercase/--no-lowercase",), "Lowercase the text before tokenizing."),
    "init": Param(("--init",), "Start from this vector table (any format wvtool reads): its vectors, and its "
                  "model's output rows where the file keeps them (a .wv train wrote, a fastText .bin); with "
                  "--subwords, a subword model goes on with its n-gram rows too.", "VECTORS"),
    "init_format": Param(("--init-format",), "Format of the --init file: {choices}; default: detected from the "
                         "content.", "FORMAT", _readable),
    "save_vocab": Param(("--save-vocab",), "Also write the vocabulary as 'word count' lines.", "FILE"),
    "output": Param(("--output", "-o"), "Output file.", "FILE"),
    # converting
    "to": Param(("--to", "-t"), "Output format: {choices}; default: from the output extension.", "FORMAT", _writable),
    "normalize": Param(("--normalize",), "Scale every vector to unit length."),
    "vectors_only": Param(("--vectors-only",), "Leave out the model's output rows (a .wv file about half the "
                          "size); training from the file then starts them at zero."),
    "keep_subwords": Param(("--keep-subwords",), "A subword model must keep its n-gram table: refuse an output "
                           "format that holds only word vectors (.vec, .txt, word2vec binary, GloVe, projector) "
                           "instead of writing the vocabulary's vectors."),
    # queries and evaluation
    "k": Param(("-k",), "Number of answers.", "K"),
    "restrict": Param(("--restrict",), "Only answer with the N most frequent words (the table's first N rows).", "N"),
    "method": Param(("--method", "-m"), "Method: {choices}.", "METHOD", _query_methods),
    "epsilon": Param(("--epsilon",), "3CosMul's offset added to the cosine with A (a number greater than 0).", "X"),
    "pairs": Param(("--pairs",), "File of word pairs.", "FILE"),
    "analogies": Param(("--analogies",), "Analogy questions file.", "FILE"),
    "columns": Param(("--columns",), "Columns of the word-pair files holding word 1, word 2 and the score, counted "
                     "from 1 (e.g. 1,2,4) [default: found from each file].", "W1,W2,SCORE"),
    "case_sensitive": Param(("--case-sensitive",), "Match words exactly instead of ignoring case."),
    # plots and export
    "perplexity": Param(("--perplexity",), "t-SNE perplexity, below the number of words "
                        "[default: min(30, max(2, (n-1)/3)) for n words].", "P"),
    "size": Param(("--size",), "Figure size WIDTHxHEIGHT in inches.", "WxH"),
    "dpi": Param(("--dpi",), "Resolution of PNG output (pixels = size x dpi).", "DPI"),
    "top": Param(("--top",), "Plot the N most frequent words.", "N"),
    "around": Param(("--around",), "Plot WORD (highlighted) and its nearest neighbours.", "WORD"),
    "groups": Param(("--group",), "NAME=w1,w2,... coloured as one group with a legend (repeatable; combines with "
                    "the other selections).", "NAME=W1,W2"),
    "csv": Param(("--csv",), "Also write the 2-D coordinates to this CSV file (word,x,y,group).", "FILE"),
    "title": Param(("--title",), "Figure title [default: describes the projection].", "TEXT"),
    "labels": Param(("--labels",), "Which words get a label: fit (those whose label finds a free place; a warning "
                    "counts the others), all (overlapping where they must) or none.", "WHICH", ("fit", "all", "none")),
    "vocab_path": Param(("--vocab",), "Vocabulary file.", "FILE"),
    "vocab_format": Param(("--vocab-format",), "How the vocabulary file is written: {choices} [default: auto, from "
                          "its content].", "KIND", _vocab_formats),
    "pieces": Param(("--pieces/--no-pieces",), "Look subword pieces up by their word (##ing as ing, \u2581the as the)."),
    "zeros": Param(("--zeros",), "A token whose row is zeros (repeatable) [default: the vocabulary's padding and "
                   "special tokens].", "TOKEN"),
    "missing": Param(("--missing",), "Rows for tokens not in the table: random or zeros.", "HOW", ("random", "zeros")),
    "lowercase_fallback": Param(("--lowercase-fallback/--no-lowercase-fallback",), "Try the lowercased token."),
    # output of every command
    "quiet": Param(("--quiet", "-q"), "No progress bars or notes on stderr (results still go to stdout)."),
    "as_json": Param(("--json",), "Print the result as JSON (one vocabulary of keys across commands)."),
    "tsv": Param(("--tsv",), "Print the result as tab-separated lines with a header (where it is a table)."),
}


def flag_of(name: str) -> str | None:
    """The command-line flag of a library parameter (None if it has none: the message keeps ``name=value``)."""
    p = PARAMS.get(name)
    return p.flag if p else None


def option(name: str, default, *, choices: tuple[str, ...] | None = None, **overrides):
    """A ``typer.Option`` for parameter ``name`` from :data:`PARAMS`.

    ``choices`` replaces the table's allowed values (a parameter name may mean
    different things in different commands, e.g. ``method``); ``overrides``
    replace ``typer.Option`` arguments such as ``help``.
    """
    p = PARAMS[name]
    kwargs = {"help": p.help, **p.extra, **overrides}
    if p.metavar:
        kwargs.setdefault("metavar", p.metavar)
    allowed = choices or p.allowed()
    if allowed:
        kwargs["help"] = kwargs["help"].replace("{choices}", ", ".join(allowed))
        kwargs.setdefault("parser", _choice_parser(allowed))
        kwargs.setdefault("autocompletion", lambda incomplete: [c for c in allowed if c.startswith(incomplete)])
    return typer.Option(default, *p.decls, **kwargs)


def _choice_parser(allowed: tuple[str, ...]) -> Callable[[str], str]:
    """A typer parser accepting only ``allowed`` values: anything else is a usage error (exit status 2)."""

    def parse(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    parse.__name__ = "/".join(allowed) if len(allowed) <= 3 else "CHOICE"
    return parse


def option_group(name: str, cls, fields: Sequence[str] | None = None, **overrides: dict) -> Callable:
    """Decorator: give a command typer options for the fields of the options dataclass ``cls``.

    The options take their defaults from the dataclass fields and their flags
    and help from :data:`PARAMS`; the command receives one validated ``cls``
    instance as the keyword argument ``name``.  ``fields`` limits the options to
    some fields (default: all); ``overrides[field]`` holds :func:`option`
    arguments for one field (e.g. ``k={"help": "..."}``).
    """
    hints = typing.get_type_hints(cls)
    chosen = [f for f in dataclasses.fields(cls) if fields is None or f.name in fields]

    def decorate(command: Callable) -> Callable:
        signature = inspect.signature(command)
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values() if p.name != name]
        added = []
        for f in chosen:
            added.append(inspect.Parameter(f"{name}__{f.name}", inspect.Parameter.KEYWORD_ONLY,
                                           default=option(f.name, f.default, **overrides.get(f.name, {})),
                                           annotation=hints[f.name]))

        @functools.wraps(command)
        def wrapper(**kwargs):
            values = {f.name: kwargs.pop(f"{name}__{f.name}") for f in chosen}
            for f in chosen:  # a repeatable option given no times means the field's default
                if isinstance(values[f.name], (list, tuple)) and not values[f.name]:
                    values[f.name] = f.default
            kwargs[name] = cls(**values)  # validated here, once
            return command(**kwargs)

        all_params = params + added
        wrapper.__signature__ = signature.replace(parameters=all_params)
        wrapper.__annotations__ = {p.name: p.annotation for p in all_params}
        return wrapper

    return decorate


@dataclass(frozen=True)
class Output:
    """How a command reports.  The result always goes to stdout: a table (or a line), JSON with ``as_json``,
    tab-separated lines with ``tsv``; progress bars, notes, warnings and errors go to stderr, and ``quiet``
    silences the progress bars and notes."""

    quiet: bool = False
    as_json: bool = False
    tsv: bool = False

    def __post_init__(self):
        if self.as_json and self.tsv:  # each is the whole of stdout: one of them would be dropped
            raise ConfigError("{as_json} and {tsv} each print the whole result; give one of them")


def output_options(command: Callable) -> Callable:
    """Decorator: ``--quiet``, ``--json`` and ``--tsv``; the command receives ``ui: Output``."""
    return option_group("ui", Output)(command)
