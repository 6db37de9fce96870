"""Shared helpers of the golden-value scripts: provenance and JSON output.

Every fixture records the tool, its version, numpy's version and the seed, so a test
failure can be traced to the exact reference that produced it.
"""
import json
import os
import platform
import subprocess

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def provenance(script: str, seed: int) -> dict:
    import sklearn  # here, so scripts that need only write() don't need scikit-learn

    return {
        "tool": "scikit-learn",
        "version": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "seed": seed,
        "script": f"scripts/golden/{script}",
    }


def floats(a) -> list:
    """Floats as JSON numbers (repr round-trips exactly); NaN as null."""
    return [None if np.isnan(v) else float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def ints(a) -> list:
    return [int(v) for v in np.asarray(a).ravel()]


def write(rel_path: str, payload: dict) -> None:
    path = os.path.join(ROOT, rel_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(payload, f, allow_nan=False)
        f.write("\n")
    # Format as the repository's formatter would, so regenerating gives no format diff.
    biome = os.path.join(ROOT, "node_modules", ".bin", "biome")
    if os.path.exists(biome):
        subprocess.run([biome, "format", "--write", path], cwd=ROOT, check=False, capture_output=True)
    print(f"wrote {rel_path}")
