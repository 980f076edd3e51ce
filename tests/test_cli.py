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
    [
        ("train", "wvtool.trainer:TrainConfig"),
        ("info", "wvtool.formats:LoadOptions"),
        ("convert", "wvtool.formats:SaveOptions"),
        ("train", "wvtool.formats:SaveOptions"),
        ("neighbors", "wvtool.query:QueryOptions"),
        ("plot", "wvtool.plotting.options:PlotOptions"),
        ("export-matrix", "wvtool.export:ExportOptions"),
        ("eval", "wvtool.evaluation:EvalOptions"),
    ],
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
        if command == "neighbors" and f.name in ("method", "epsilon"):
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


@pytest.mark.parametrize("args", [
    ("neighbors", "{v}", "w1", "--limit", "-1"),
    ("neighbors", "{v}", "w1", "-k", "-1"),
    ("neighbors", "{v}", "w1", "--restrict", "-5"),
    ("analogy", "{v}", "w1", "w2", "w3", "-k", "0"),
    ("similarity", "{v}", "w1", "w2", "--limit", "-2"),
    ("eval", "{v}", "--restrict", "0"),
    ("plot", "{v}", "--top", "5", "--dpi", "-3", "-o", "{d}/p.png"),
    ("info", "{v}", "--limit", "-1"),
])
def test_a_number_out_of_range_is_the_librarys_one_line_error(run_cli, tmp_path, args):
    v = tmp_path / "v.txt"
    v.write_text("3 2\nw1 1 0\nw2 0 1\nw3 1 1\n")
    flag, value = args[-2:] if args[-2] != "-o" else args[-4:-2]
    code, out, err = run_cli(*(a.format(v=v, d=tmp_path) for a in args))
    assert (code, out) == (1, "")
    assert err.startswith(f"wvtool: error: {flag} {value} is out of range; use ") and len(err.splitlines()) == 1
    bad_text = [a if a != value else "abc" for a in args]  # text for a number: click's usage error
    code, _, err = run_cli(*(a.format(v=v, d=tmp_path) for a in bad_text))
    assert code == 2 and "Invalid value" in err


def test_no_option_checks_a_range_itself():
    """Ranges are the library's to check (one message, one exit status): no click IntRange/FloatRange."""
    import typer.main

    from wvtool.cli import app

    group = typer.main.get_command(app)  # typer's click (or its own copy): types told apart by name
    for name, cmd in group.commands.items():
        for p in cmd.params:
            assert type(getattr(p, "type", None)).__name__ not in ("IntRange", "FloatRange"), (name, p.name)


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
    assert "training" in text and "25%" in text and "epoch 1/2" in text and "lr 0.0125" in text


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


# --- one JSON vocabulary, --tsv, the stream rule, a closed pipe -----------------------------------


@pytest.fixture
def small_table(tmp_path):
    """A 60 x 6 word2vec text table with frequency-ordered words, and a vocabulary and pairs file."""
    import numpy as np

    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(60)]
    path = tmp_path / "t.txt"
    rows = rng.normal(size=(60, 6)).astype(np.float32)
    path.write_text("60 6\n" + "".join(f"{w} {' '.join(repr(float(x)) for x in r)}\n" for w, r in zip(words, rows, strict=True)))
    (tmp_path / "vocab.txt").write_text("w1\nw2\nnope\n")
    (tmp_path / "pairs.tsv").write_text("w1\tw2\t3\nw3\tw4\t1\nw5\tw9\t2\n")
    return path


def _walk_keys(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _walk_keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_keys(v)


def test_every_command_speaks_one_json_vocabulary(run_cli, small_table, tmp_path):
    """Each command's --json names its command, the vector file as 'vectors', ranked answers as word/score."""
    import json

    d = tmp_path
    commands = {
        "info": [small_table],
        "convert": [small_table, d / "o.wv"],
        "neighbors": [small_table, "w1", "-k", "3"],
        "analogy": [small_table, "w1", "w2", "w3", "-k", "3"],
        "similarity": [small_table, "w1", "w2"],
        "eval": [small_table, "--pairs", d / "pairs.tsv"],
        "plot": [small_table, "w1", "w2", "w3", "-o", d / "p.png"],
        "export-matrix": [small_table, "--vocab", d / "vocab.txt", "-o", d / "m.npy"],
    }
    assert set(commands) | {"train"} == set(_command_names())
    for name, args in commands.items():
        code, out, err = run_cli(name, *args, "--json", "-q")
        assert code == 0, (name, err)
        doc = json.loads(out)
        assert doc["command"] == name and doc["vectors"] == str(small_table), name
        keys = set(_walk_keys(doc))
        assert not keys & {"path", "input", "similarity", "neighbors"}, (name, keys)
    corpus = d / "c.txt"
    corpus.write_text("a b c d\n" * 20)
    code, out, err = run_cli("train", corpus, "-o", d / "v.txt", "--min-count", "1", "--dim", "4", "--epochs", "1", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["command"] == "train" and doc["corpus"] == [str(corpus)] and doc["output"] == str(d / "v.txt")


def test_every_command_writes_tsv_values_one_way(run_cli, small_table, tmp_path):
    """Booleans as true/false, lists and dicts as one line of JSON, in every command's --tsv (no Python reprs)."""
    import json

    d = tmp_path
    corpus = d / "c.txt"
    corpus.write_text("a b c d\n" * 20)
    commands = {  # each with a field of each kind: a list, a dict or a bool
        "info": ([small_table], {"sample_words": list, "has_counts": bool}),
        "train": ([corpus, "-o", d / "v.txt", "--min-count", "1", "--dim", "4", "--epochs", "1"],
                  {"corpus": list, "epoch_loss": list, "config.lowercase": bool}),
        "export-matrix": ([small_table, "--vocab", d / "vocab.txt", "-o", d / "m.npy"],
                          {"missing_examples": list, "fill": dict}),
        "convert": ([small_table, d / "o.wv"], {"normalized": bool}),
    }
    for name, (args, kinds) in commands.items():
        code, out, err = run_cli(name, *args, "--tsv", "-q")
        assert code == 0, (name, err)
        header, *rows = [line.split("\t") for line in out.splitlines()]
        fields = dict(rows)
        assert header == ["field", "value"] and len(fields) == len(rows), name
        assert not {"True", "False", "None"} & set(fields.values()), name
        for field, kind in kinds.items():
            value = json.loads(fields[field])
            assert type(value) is kind, (name, field, fields[field])


def test_tsv_output_is_a_header_and_full_rows(run_cli, small_table):
    from wvtool import load
    from wvtool.query import neighbors

    code, out, _ = run_cli("neighbors", small_table, "w1", "w2", "-k", "3", "--tsv")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "query\trank\tword\tscore" and len(lines) == 7
    expected = neighbors(load(small_table), "w2", 3)
    assert [tuple(x.split("\t")) for x in lines[4:]] == [("w2", str(i), w, repr(s)) for i, (w, s) in enumerate(expected, 1)]


def test_results_go_to_stdout_and_quiet_keeps_them(run_cli, small_table, tmp_path):
    for args in (["convert", small_table, tmp_path / "o.vec"], ["plot", small_table, "w1", "w2", "-o", tmp_path / "p.png"]):
        code, out, err = run_cli(*args, "-q")
        assert code == 0 and out.startswith("wrote ") and err == ""


def test_tables_piped_to_a_file_keep_long_words_whole(tmp_path):
    long = "x" * 150
    path = tmp_path / "t.txt"
    path.write_text(f"2 2\n{long} 1 0\nshort 1 0.1\n")
    r = subprocess.run([sys.executable, "-m", "wvtool", "neighbors", str(path), "short", "-k", "1"],
                       capture_output=True, text=True, env={**__import__("os").environ, "COLUMNS": "80"})
    assert r.returncode == 0 and long in r.stdout and "…" not in r.stdout


@pytest.mark.slow
def test_a_closed_pipe_is_not_an_error(small_table):
    """`wvtool neighbors ... | head -1`: the command stops quietly with status 0, table or JSON."""
    for extra in ([], ["--json"]):
        p = subprocess.Popen([sys.executable, "-m", "wvtool", "neighbors", str(small_table), *[f"w{i}" for i in range(40)],
                              "-k", "50", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.readline()
        p.stdout.close()  # like `head -1`
        assert p.wait(timeout=60) == 0, p.stderr.read().decode()
        assert b"Traceback" not in p.stderr.read()


def test_json_and_tsv_together_are_refused(run_cli, small_table, tmp_path):
    """Each is the whole of stdout; given both, JSON won silently."""
    both = (1, "", "wvtool: error: --json and --tsv each print the whole result; give one of them\n")
    assert run_cli("info", small_table, "--json", "--tsv") == both
    assert run_cli("neighbors", small_table, "w1", "--tsv", "--json") == both
    assert run_cli("convert", small_table, tmp_path / "o.wv", "--json", "--tsv") == both
    assert not (tmp_path / "o.wv").exists()
