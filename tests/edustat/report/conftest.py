"""Report-tier fixtures: a headless Chromium for the whole session (installed from Debian when missing and allowed)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")
APT_TIMEOUT_S = 1200


def _find() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _apt_install() -> str:
    """Install Debian's chromium (apt-get update first when the package lists are stale); returns what went wrong, if anything."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "chromium"]
    result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_S)
    if result.returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_S)
        result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_S)
    return "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["apt-get failed"])[-1]


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of a headless-capable Chromium; installed once per session with apt-get when missing and we are root, else the test is skipped, saying why."""
    found = _find()
    if found:
        return found
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not (is_root and shutil.which("apt-get")):
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get): `apt-get install -y chromium`")
    problem = _apt_install()
    found = _find()
    if not found:
        pytest.skip(f"chromium is not installed and `apt-get install -y chromium` failed: {problem}")
    return found
