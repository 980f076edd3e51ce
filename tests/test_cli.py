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
