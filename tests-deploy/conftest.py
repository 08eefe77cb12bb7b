"""The deployment tests import their helpers from deploy_testing (pytest runs in importlib mode)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploy_testing import compose, entrypoint

__all__ = ["compose", "entrypoint"]
