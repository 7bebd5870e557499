"""The wheel ships the production package and its SQL only, and a regular install
finds the SQL the same way the source tree does (ytempire's `sql` data)."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ytempire import migrations, repeatables

REPO = Path(__file__).resolve().parents[2]
SQL = REPO / "include" / "sql"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "repo"
    # Built from a copy: the build writes build/ and *.egg-info next to the sources.
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "node_modules", ".run", "build", "*.egg-info", "__pycache__"))
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(out), str(source)],
                   check=True, capture_output=True)
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_holds_ytempire_and_its_sql_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names} - {"ytempire"}
    assert len(top) == 1 and top.pop().endswith(".dist-info")
    shipped = {name.removeprefix("ytempire/sql/") for name in names
               if name.startswith("ytempire/sql/")}
    assert shipped == {str(p.relative_to(SQL)) for p in SQL.rglob("*.sql")}
    assert not [n for n in names if "ytempire_dev" in n or n.startswith("tests/")]


def test_a_regular_install_finds_the_sql(wheel, tmp_path):
    target = tmp_path / "site"
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    subprocess.run([uv, "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    "--python", sys.executable, str(wheel)], check=True, capture_output=True)
    code = ("import ytempire, ytempire.warehouse as w, ytempire.migrations as m,"
            " ytempire.repeatables as r; print(ytempire.__file__); print(w.settings.SQL_DIR);"
            "print(len(m.discover('plain')), len(r.discover('timescale')),"
            " len(w.sql_file('deploy/bootstrap.sql')))")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0].startswith(str(target))
    assert out[1] == str(target / "ytempire" / "sql")
    assert out[2].split() == [str(len(migrations.discover("plain"))),
                              str(len(repeatables.discover("timescale"))),
                              str(len((SQL / "deploy" / "bootstrap.sql").read_text()))]
