"""How a plot is made: :class:`PlotOptions`, validated once, and the parsers of its text forms."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from ..errors import ConfigError

#: image formats, chosen by the output file's extension
IMAGE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: the projections
METHODS = ("pca", "tsne")
#: which words get a label: those whose label fits without overlapping, all of them, or none
LABELS = ("fit", "all", "none")
DEFAULT_SIZE = "10x8"
DEFAULT_DPI = 150
MIN_DPI, MAX_DPI = 10, 1200
#: smallest figure side in inches that still gives a readable plot
MIN_INCHES = 2.0
#: largest image side in pixels (matplotlib refuses sizes beyond 2**16)
MAX_PIXELS = 20_000
#: t-SNE seeds go to scikit-learn's random_state, which takes 0 to 2**32 - 1
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class PlotOptions:
    """Settings of a plot (which words are plotted, and where to, are arguments of :func:`~wvtool.plot`).

    - ``method``: the projection, ``"pca"`` or ``"tsne"`` (``"t-sne"`` and upper case are accepted).
    - ``perplexity``: t-SNE perplexity, above 0 and below the number of words;
      None uses :func:`~wvtool.plotting.default_perplexity`.
    - ``seed``: t-SNE's random seed (0 to 2**32-1): the same seed gives the same picture.
    - ``size``: ``"WIDTHxHEIGHT"`` in inches (e.g. ``"10x8"``), or a (width, height) tuple; kept as
      text in that form (``"10x8"``), with :attr:`inches` the numbers.
    - ``dpi``: resolution of PNG output (pixels = size x dpi).
    - ``k``: the number of neighbours plotted with ``around``.
    - ``title``: the figure title; None describes the projection.
    - ``labels``: ``"fit"`` labels the words whose label finds a free place
      (in order: the given words, the most frequent, the ``around`` word and its
      nearest first) and leaves the others unlabelled, with a warning;
      ``"all"`` labels every word, overlapping where it must; ``"none"`` draws points only.
    """

    method: str = "pca"
    perplexity: float | None = None
    seed: int = 0
    size: str = DEFAULT_SIZE
    dpi: int = DEFAULT_DPI
    k: int = 20
    title: str | None = None
    labels: str = "fit"

    def __post_init__(self):
        put = object.__setattr__  # normalised values on a frozen dataclass
        put(self, "method", check_method(self.method))
        if self.perplexity is not None:
            put(self, "perplexity", settings.number("perplexity", self.perplexity, 0, lo_open=True,
                                                    text="more than 0 and below the number of words"))
        put(self, "seed", settings.whole("seed", self.seed, 0, MAX_SEED))
        width, height = parse_size(self.size)
        put(self, "size", f"{_number(width)}x{_number(height)}")
        put(self, "dpi", settings.whole("dpi", self.dpi, MIN_DPI, MAX_DPI))
        put(self, "k", settings.whole("k", self.k, 1))
        settings.choice("labels", self.labels, LABELS)
        if self.title is not None and not isinstance(self.title, str):
            raise ConfigError(f"{{title={self.title!r}}} must be text (or None for a title describing the projection)")
        if max(width, height) * self.dpi > MAX_PIXELS:
            raise ConfigError(
                f"{{size='{width:g}x{height:g}'}} at {{dpi={self.dpi}}} is over {MAX_PIXELS:,} pixels wide; "
                "lower size or dpi"
            )

    @property
    def inches(self) -> tuple[float, float]:
        """Width and height of the figure in inches."""
        return parse_size(self.size)

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height of a PNG image in pixels."""
        width, height = self.inches
        return int(round(width * self.dpi)), int(round(height * self.dpi))


def _number(v: float) -> str:
    """``v`` as short text that reads back as the same float (10.0 -> '10')."""
    short = f"{v:g}"
    return short if float(short) == v else repr(v)


def check_method(method) -> str:
    """The projection named by ``method`` (case and a hyphen ignored: ``"t-SNE"`` is ``"tsne"``)."""
    m = str(method).lower().replace("-", "") if isinstance(method, str) else None
    if m not in METHODS:
        raise ConfigError(f"{{method={method!r}}} is not a projection wvtool makes; use {{method='pca'}} or {{method='tsne'}}")
    return m


def parse_size(size) -> tuple[float, float]:
    """``"10x8"`` or ``(10, 8)`` -> (width, height) in inches; ConfigError if malformed, not positive or too small."""
    if isinstance(size, str):
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*[xX×]\s*([0-9]*\.?[0-9]+)\s*", size)
        if not m:
            raise ConfigError(f"{{size={size!r}}}: expected WIDTHxHEIGHT in inches, e.g. {{size='10x8'}}")
        w, h = float(m.group(1)), float(m.group(2))
    else:
        try:
            w, h = (float(v) for v in size)
        except (TypeError, ValueError):
            raise ConfigError(f"{{size={size!r}}}: expected (width, height) in inches, e.g. (10, 8) or '10x8'") from None
    if not (math.isfinite(w) and math.isfinite(h) and w > 0 and h > 0):
        raise ConfigError(f"{{size='{w:g}x{h:g}'}}: width and height must be positive inches, e.g. {{size='10x8'}}")
    if w < MIN_INCHES or h < MIN_INCHES:
        raise ConfigError(f"{{size='{w:g}x{h:g}'}} is too small for a readable plot; use at least 2x2 inches")
    return w, h


def image_format(output) -> str:
    """The image format of an output path, from its extension; ConfigError listing the allowed ones."""
    suffix = Path(output).suffix.lower()
    fmt = IMAGE_FORMATS.get(suffix)
    if fmt is None:
        allowed = ", ".join(IMAGE_FORMATS)
        if not suffix:
            raise ConfigError(f"{{output='{output}'}} has no extension to tell the image format; end the name with "
                              f"{allowed}")
        raise ConfigError(f"{{output='{output}'}}: extension {suffix!r} is not an image format wvtool writes; end the "
                          f"name with {allowed}")
    return fmt
