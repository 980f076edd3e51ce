"""The command line as a whole: every command has help with an example; import stays light."""

import subprocess
import sys

import pytest

from wvtool.cli.common import app


def _command_names():
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_top_level_help_lists_commands(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    for name in _command_names():
        assert name in out


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_help_with_an_example(run_cli, name):
    code, out, err = run_cli(name, "--help")
    assert code == 0, err
    assert "Example" in out, f"`wvtool {name} --help` should show an example"


def test_import_wvtool_does_not_import_heavy_modules():
    code = (
        "import sys, wvtool; "
        "heavy = [m for m in ('typer', 'rich', 'matplotlib', 'sklearn', 'numba', 'gensim') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_python_dash_m_works():
    r = subprocess.run([sys.executable, "-m", "wvtool", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("wvtool ")


# --- options: one table of flags, defaults from the library's dataclasses ------------------------


def _options_of(name):
    import typer.main

    command = typer.main.get_command(app).commands[name]
    return {opt: p for p in command.params for opt in p.opts + p.secondary_opts}


@pytest.mark.parametrize(
    "command, cls_path",
    [("train", "wvtool.trainer:TrainConfig"), ("info", "wvtool.formats:LoadOptions"), ("neighbors", "wvtool.query:QueryOptions")],
)
def test_cli_defaults_are_the_library_defaults(command, cls_path):
    """Every field of an options dataclass has a flag in the table, and the CLI's default is the field's."""
    import dataclasses
    import importlib

    from wvtool.cli.params import PARAMS

    module, name = cls_path.split(":")
    cls = getattr(importlib.import_module(module), name)
    options = _options_of(command)
    for f in dataclasses.fields(cls):
        if command == "neighbors" and f.name == "method":
            continue  # analogies only
        assert f.name in PARAMS, f"{cls.__name__}.{f.name} has no entry in wvtool.cli.params.PARAMS"
        opt = options[PARAMS[f.name].flag]
        assert opt.default == f.default, (f.name, opt.default, f.default)


def test_library_errors_name_parameters_and_the_cli_names_flags(run_cli, tmp_path):
    from wvtool import ConfigError
    from wvtool.trainer import TrainConfig

    with pytest.raises(ConfigError) as e:
        TrainConfig(min_count=0)
    assert str(e.value) == "min_count=0 is out of range; use 1 or more"
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n")
    code, _, err = run_cli("train", corpus, "-o", tmp_path / "v.txt", "--min-count", "0")
    assert code == 1 and err.strip() == "wvtool: error: --min-count 0 is out of range; use 1 or more"
    code, _, err = run_cli("train", corpus, "-o", tmp_path / "v.txt", "--min-count", "3")
    assert code == 1 and "lower --min-count to 1 or less" in err and "min_count" not in err


def test_error_templates_render_for_each_audience():
    from wvtool.errors import ConfigError, render

    e = ConfigError("{dim=50} does not match 100; leave out {dim} or use {dim=100}; {method='mul'}")
    assert str(e) == "dim=50 does not match 100; leave out dim or use dim=100; method='mul'"
    flags = {"dim": "--dim", "method": "--method"}.get
    assert e.render(flags) == "--dim 50 does not match 100; leave out --dim or use --dim 100; --method mul"
    assert render("no {references} here: {'a': 1}") == "no references here: {'a': 1}"


# --- the progress bar ---------------------------------------------------------------------------


def test_progress_bar_draws_percentage_stage_and_rate():
    import io

    from rich.console import Console

    from wvtool.cli.progress import progress_bar

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120, color_system=None)
    with progress_bar("loading", "vectors", console=console) as progress:
        progress(500, None, {"stage": "read"})
        progress(250, 1000, {"stage": "train", "epoch": 1, "epochs": 2, "alpha": 0.0125})
    text = buf.getvalue()
    assert "reading" in text and "bytes/s" in text
    assert "training" in text and "25%" in text and "epoch 1/2" in text and "lr 0.01250" in text


def test_progress_bar_is_silent_when_quiet_or_not_a_terminal():
    import io

    from rich.console import Console

    from wvtool.cli.progress import progress_bar

    for console, quiet in ((Console(file=io.StringIO(), force_terminal=True), True), (Console(file=io.StringIO()), False)):
        with progress_bar("x", console=console, quiet=quiet) as progress:
            progress(1, 2, {})
        assert console.file.getvalue() == ""


@pytest.mark.parametrize("name", [None, *_command_names()])
def test_help_reads_well_at_80_columns(run_cli, monkeypatch, name):
    """No Python type names, no cut option names, no line over 80 columns, every flag spelled out."""

    import typer.main

    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(*([name] if name else []), "--help")
    assert code == 0, err
    for bad in ("<bool>", "<int", "<str>", "<path>", "<float>", "list[", "{", "…", "[x>="):
        assert bad not in out, f"{bad!r} in `wvtool {name or ''} --help`"
    assert max(len(line) for line in out.splitlines()) <= 80
    if name:
        command = typer.main.get_command(app).commands[name]
        for p in command.params:
            for flag in (p.opts + p.secondary_opts if p.param_type_name == "option" else [p.metavar or p.name.upper()]):
                assert flag in out, f"{flag} missing from `wvtool {name} --help`"


def test_version_flags(run_cli):
    from importlib.metadata import version

    for flag in ("--version", "-V"):
        code, out, _ = run_cli(flag)
        assert code == 0 and out.strip() == f"wvtool {version('wvtool')}"
