"""wvtool: train, convert, query, evaluate and plot word vectors.

    >>> import wvtool
    >>> kv = wvtool.load("vectors.bin")            # any supported format
    >>> wvtool.neighbors(kv, "king", k=5)

Importing wvtool is cheap: numba, matplotlib and scikit-learn are imported only
by the functions that need them.
"""

from typing import TYPE_CHECKING

from .errors import (
    ConfigError,
    CorpusError,
    FileError,
    FormatError,
    QueryError,
    TrainingError,
    UnknownWordError,
    WvtoolError,
    WvtoolWarning,
)
from .vectors import Vectors


def _version() -> str:
    """The installed distribution's version (pyproject.toml is its one source)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wvtool")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


__version__ = _version()

# Public functions, imported from their module on first use (keeps `import wvtool` fast).
_LAZY = {
    # file formats (wvtool.formats)
    "load": "formats",
    "save": "formats",
    "detect_format": "formats",
    "file_info": "formats",
    "convert": "formats",
    "FORMATS": "formats",
    # embedding-layer export (wvtool.export)
    "export_matrix": "export",
    "ExportOptions": "export",
    # training (wvtool.trainer)
    "train": "trainer",
    "TrainConfig": "trainer",
    "read_corpus": "corpus",
    "tokenize": "corpus",
    "Corpus": "corpus",
    # queries and evaluation (wvtool.query, wvtool.evaluation)
    "neighbors": "query",
    "analogy": "query",
    "similarity": "query",
    "similarity_pairs": "query",
    "most_similar": "query",
    "doesnt_match": "query",
    "n_similarity": "query",
    "evaluate": "evaluation",
    "evaluate_analogies": "evaluation",
    "evaluate_pairs": "evaluation",
    "score_pairs_file": "evaluation",
    "EvalOptions": "evaluation",
    # pictures (wvtool.plotting)
    "plot": "plotting",
    "project": "plotting",
    "PlotOptions": "plotting",
    "LoadOptions": "formats",
    "SaveOptions": "formats",
    "QueryOptions": "query",
}

if TYPE_CHECKING:  # what the lazy imports provide, for type checkers and IDEs
    from .corpus import Corpus, read_corpus, tokenize
    from .evaluation import EvalOptions, evaluate, evaluate_analogies, evaluate_pairs, score_pairs_file
    from .export import ExportOptions, export_matrix
    from .formats import FORMATS, LoadOptions, SaveOptions, convert, detect_format, file_info, load, save
    from .plotting import PlotOptions, plot, project
    from .query import (
        QueryOptions,
        analogy,
        doesnt_match,
        most_similar,
        n_similarity,
        neighbors,
        similarity,
        similarity_pairs,
    )
    from .trainer import TrainConfig, train

__all__ = [
    "ConfigError",
    "CorpusError",
    "FileError",
    "FormatError",
    "QueryError",
    "TrainingError",
    "UnknownWordError",
    "Vectors",
    "WvtoolError",
    "WvtoolWarning",
    *_LAZY,
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wvtool' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    """The public API only (what tab completion shows)."""
    return sorted([*__all__, "__version__"])
