"""Run a file of ``check_*`` functions in a subprocess with its own environment (for
settings that are process-wide: virtual JAX devices, x64) and read back its results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def run_checks(script: str, what: str, timeout: int, **env: str) -> dict[str, str | None]:
    """``{check name: None, or the traceback of its failure}`` of ``tests/<script>``,
    whose ``main()`` prints ``@@RESULTS@@`` and their JSON last."""
    full = {**os.environ, **env}
    full["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + full.get("PYTHONPATH", "")
    r = subprocess.run(
        [sys.executable, str(HERE / script)],
        capture_output=True, text=True, env=full, timeout=timeout, check=False,
    )  # fmt: skip
    marker = r.stdout.rfind("@@RESULTS@@")
    assert marker >= 0, f"the {what} did not finish (rc {r.returncode}):\n{r.stderr[-4000:]}"
    return json.loads(r.stdout[marker + len("@@RESULTS@@") :])
