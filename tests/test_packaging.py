"""An installed cardscan (not only an editable one) has every package and data file."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_and_its_data_files_are_installed() -> None:
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    listed = set(setup["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "cardscan").rglob("__init__.py")
    }
    assert found - listed == set()
    data = setup["package-data"]
    # A data folder may be listed as a package of its own (without an __init__.py).
    packages = found | {p for p in listed if p.startswith("cardscan.")}
    folders = {ROOT.joinpath(*package.split(".")): package for package in packages}
    for path in (ROOT / "cardscan").rglob("*"):
        if path.suffix not in {".json", ".gz", ".css", ".js"}:
            continue
        # the package a data file belongs to: the nearest folder that is one
        owner = next(parent for parent in path.parents if parent in folders)
        patterns = data.get(folders[owner], [])
        assert any(path.relative_to(owner).match(pat) for pat in patterns), path
