"""Tests of the build and the built site; ``copy_build_inputs`` is what several of them start from."""

from __future__ import annotations

import shutil
from pathlib import Path

import build


def copy_build_inputs(target: Path) -> None:
    """Copy every build input (build.BUILD_INPUTS: what the build id is a digest of) into ``target``."""
    for name in build.BUILD_INPUTS:
        source = build.ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
