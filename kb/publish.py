"""Publish the KB with Datasette, configured by the repository's ``metadata.yml``."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

__all__ = ["datasette_command", "metadata_for", "METADATA", "PROJECT_ROOT", "SERVE_SETTINGS"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA = PROJECT_ROOT / "metadata.yml"

# Limits that keep a public instance responsive whatever SQL a visitor sends.
SERVE_SETTINGS = {
    "sql_time_limit_ms": "3000",
    "max_returned_rows": "1000",
    "default_page_size": "50",
    "facet_time_limit_ms": "400",
    "allow_download": "on",
}


def metadata_for(db_path: Path, metadata: Path = METADATA) -> dict[str, Any]:
    """metadata.yml with its ``kb`` block renamed to the served file's name.

    Datasette names a database after its file, so ``--db /tmp/news.db`` is
    database ``news``; the descriptions and queries must follow it.
    """
    if not metadata.exists():
        raise FileNotFoundError(f"metadata file not found: {metadata}")
    data = yaml.safe_load(metadata.read_text(encoding="utf-8"))
    databases = data.get("databases") or {}
    if "kb" in databases and db_path.stem != "kb":
        databases[db_path.stem] = databases.pop("kb")
    return data


def datasette_command(db_path: Path, *, host: str = "127.0.0.1", port: int = 8001, immutable: bool = False,
                      metadata: Path = METADATA) -> list[str]:
    """The ``datasette serve`` command line for a KB file."""
    prepared = Path(tempfile.mkdtemp(prefix="kb-serve-")) / "metadata.json"
    prepared.write_text(json.dumps(metadata_for(db_path, metadata), ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "datasette", "serve", "--host", host, "--port", str(port), "--metadata", str(prepared)]
    command += ["--immutable", str(db_path)] if immutable else [str(db_path)]
    for name, value in SERVE_SETTINGS.items():
        command += ["--setting", name, value]
    return command


def serve(db_path: Path, *, host: str = "127.0.0.1", port: int = 8001, immutable: bool = False) -> int:
    """Run Datasette in the foreground until interrupted; returns its exit code."""
    process = subprocess.Popen(datasette_command(db_path, host=host, port=port, immutable=immutable))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
