"""Which words a plot shows: given words, the most frequent, a word and its neighbours, and coloured groups."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .. import settings
from ..errors import ConfigError, UnknownWordError, WvtoolWarning
from ..query import case_fallback
from ..vectors import Vectors


@dataclass(frozen=True)
class Request:
    """What the caller asked to plot, checked: ``words`` or ``top`` or ``around`` (or none), plus ``groups``."""

    words: tuple[str, ...]
    top: int | None
    around: str | None
    groups: dict[str, list[str]]


@dataclass(frozen=True)
class Selection:
    """The words to plot, resolved against the table.

    ``words`` in plotting order (known words only), ``group_of`` word -> group
    name, ``groups`` the names of groups with at least one known word (in the
    order given), ``center`` the ``around`` word, ``skipped`` the unknown words,
    ``composed`` the words outside the vocabulary of a subword table, composed from n-grams, ``used`` each word
    found only in lower case -> that form (:func:`~wvtool.query.case_fallback`).
    """

    words: list[str]
    group_of: dict[str, str]
    groups: list[str]
    center: str | None
    skipped: list[str]
    composed: list[str] = field(default_factory=list)
    used: dict[str, str] = field(default_factory=dict)


def parse_group(spec: str) -> tuple[str, list[str]]:
    """Parse ``"NAME=w1,w2,..."`` into ``(name, [w1, w2, ...])``; ConfigError if malformed."""
    name, sep, rest = str(spec).partition("=")
    name = name.strip()
    if not sep or not name:
        raise ConfigError(f"{{groups={spec!r}}}: expected NAME=word1,word2,... (e.g. {{groups='animals=cat,dog,horse'}})")
    members = [w.strip() for w in rest.split(",")]
    members = [w for w in members if w]
    if not members:
        raise ConfigError(f"{{groups={spec!r}}}: group {name!r} has no words; list them after '=' separated by commas")
    return name, members


def parse_groups(specs: Iterable[str]) -> dict[str, list[str]]:
    """Parse several ``NAME=w1,w2`` specs into an ordered dict; duplicate names are an error."""
    out: dict[str, list[str]] = {}
    for spec in specs:
        name, members = parse_group(spec)
        if name in out:
            raise ConfigError(f"group {name!r} is given twice in {{groups}}; give each group once, listing all its words")
        out[name] = members
    return out


def _groups(groups) -> dict[str, list[str]]:
    """``groups`` as a name -> words dict (from a mapping or from ``NAME=w1,w2`` specs), each word in one group."""
    if isinstance(groups, str):
        groups = [groups]
    if isinstance(groups, Mapping):
        out = {str(name): [members] if isinstance(members, str) else list(members) for name, members in groups.items()}
        for name, members in out.items():
            if not name.strip() or not members:
                raise ConfigError(f"group {name!r} needs a name and at least one word, e.g. groups={{'animals': ['cat', 'dog']}}")
    else:
        out = parse_groups(groups or ())
    owner: dict[str, str] = {}
    for name, members in out.items():
        for w in members:
            if owner.setdefault(w, name) != name:
                raise ConfigError(f"{w!r} is in groups {owner[w]!r} and {name!r}; put each word in one group")
    return out


def check_request(words, top, around, groups) -> Request:
    """Check the selection arguments of :func:`~wvtool.plot` (before any work); ConfigError if they conflict."""
    if isinstance(words, str):
        words = [words]
    words = tuple(w for w in (words or ()) if w is not None)
    groups = _groups(groups)
    chosen = [name for name, given in (("{words}", bool(words)), ("{top}", top is not None),
                                       ("{around}", around is not None)) if given]
    if len(chosen) > 1:
        raise ConfigError(
            f"{' and '.join(chosen)} conflict; choose one of: {{words}}, {{top=N}} or {{around=WORD}} "
            "({groups} can be added to any of them)"
        )
    if not chosen and not groups:
        raise ConfigError("nothing to plot; give {words}, {top=100}, {around=WORD} or {groups=NAME=w1,w2}")
    top = settings.whole("top", top, 2, optional=True)
    if around is not None and not isinstance(around, str):
        raise ConfigError(f"{{around={around!r}}} must be a word")
    return Request(words, top, around, groups)


def select(vectors: Vectors, request: Request, k: int) -> Selection:
    """Resolve a checked :class:`Request` against ``vectors``; unknown words are skipped with a warning.

    With a subword table, a word outside the vocabulary is composed from its n-grams
    (listed in ``composed``); only words with no known n-gram are unknown.
    """
    used: dict[str, str] = {}

    def form(word: str) -> str:  # 'King' finds 'king', as in every query command
        found = case_fallback(vectors, word)
        if found != word:
            used[word] = found
        return found

    words, center = [form(w) for w in request.words], None
    if request.top is not None:
        if request.top > len(vectors):
            warnings.warn(f"asked for the {request.top:,} most frequent words, but the table has {len(vectors):,}; "
                          "plotting all of them", WvtoolWarning, stacklevel=3)
        words = top_words(vectors, request.top)
    elif request.around is not None:
        center = form(request.around)
        if not vectors.has_vector(center):  # UnknownWordError with suggestions: the centre cannot be skipped
            raise UnknownWordError(request.around, vectors.suggest(request.around), len(vectors))
        words = [center, *neighbor_words(vectors, center, k)]
    groups = {name: list(dict.fromkeys(form(w) for w in members)) for name, members in request.groups.items()}
    group_of = {w: name for name, members in groups.items() for w in members}
    selected = list(dict.fromkeys([*words, *group_of]))
    known = {w for w in selected if vectors.has_vector(w)}
    unknown = [w for w in selected if w not in known]
    if unknown:
        warnings.warn(unknown_message(vectors, unknown), WvtoolWarning, stacklevel=3)
        selected = [w for w in selected if w in known]
        for name, members in groups.items():
            if not any(w in known for w in members):
                warnings.warn(f"group {name!r} has none of its words in the vocabulary; it is left out of the legend",
                              WvtoolWarning, stacklevel=3)
    group_of = {w: g for w, g in group_of.items() if w in known}
    names = [g for g in request.groups if g in set(group_of.values())]
    composed = [w for w in selected if vectors.is_composed(w)]
    return Selection(selected, group_of, names, center, unknown, composed, used)


def neighbor_words(vectors: Vectors, word: str, k: int) -> list[str]:
    """The ``k`` nearest words to ``word`` by cosine similarity (the word itself excluded)."""
    from ..query import neighbors

    return [w for w, _ in neighbors(vectors, word, k=k)]


def top_words(vectors: Vectors, top: int) -> list[str]:
    """The ``top`` most frequent words: by ``counts`` when the table has them, else its first rows."""
    if vectors.counts is not None:
        order = np.argsort(-vectors.counts, kind="stable")[:top]
        return [vectors.words[i] for i in order]
    return list(vectors.words[:top])  # files are written in frequency order


def unknown_message(vectors: Vectors, unknown: list[str]) -> str:
    """'skipping N words not in the vocabulary: ...' with a suggestion for the first few."""
    shown = []
    for w in unknown[:8]:
        sugg = vectors.suggest(w, n=1) if len(shown) < 3 else []
        shown.append(f"{w!r} (did you mean {sugg[0]!r}?)" if sugg else repr(w))
    more = f" and {len(unknown) - 8} more" if len(unknown) > 8 else ""
    n = len(unknown)
    return f"skipping {n} word{'s' if n != 1 else ''} not in the vocabulary: {', '.join(shown)}{more}"
