"""Bytecode as an installed package has it, for benchmarks that time fresh processes.

With ``PYTHONDONTWRITEBYTECODE`` set (as on the shared machine) a source
checkout compiles every module it imports again in every run; a checkout with
bytecode and one without differ by that much, whatever the code does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def compile_bytecode(checkout: Path | None) -> None:
    """Write the ``.pyc`` files of ``checkout``'s package (nothing for ``None``)."""
    if checkout is None:
        return
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(checkout / "briefing")],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
