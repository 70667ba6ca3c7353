"""The Datasette site: metadata.yml made ready for the file served, and the command that serves it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "METADATA", "PLUGINS", "PLUGIN_REQUIREMENTS", "PROJECT_ROOT", "TEMPLATES",
    "datasette_app", "datasette_command", "load_metadata", "metadata_for", "serve", "setting_value", "settings",
]

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent
METADATA = HERE / "metadata.yml"
TEMPLATES = HERE / "templates"
PLUGINS = HERE / "plugins"

# The Datasette plugins the site uses (kept in step with pyproject.toml); a published
# directory pins the installed versions of these.
PLUGIN_REQUIREMENTS = [
    "datasette",
    "datasette-atom",
    "datasette-block-robots",
    "datasette-dashboards",
    "datasette-search-all",
]

# The name metadata.yml gives the database; the served file's stem replaces it.
DATABASE_KEY = "kb"


def load_metadata(metadata: Path = METADATA) -> dict[str, Any]:
    """metadata.yml as it is written (with ``settings``, for the ``kb`` database)."""
    if not metadata.exists():
        raise FileNotFoundError(f"metadata file not found: {metadata}")
    return yaml.safe_load(metadata.read_text(encoding="utf-8")) or {}


def settings(metadata: Path = METADATA) -> dict[str, Any]:
    """The Datasette settings of metadata.yml (sql_time_limit_ms, max_returned_rows, ...)."""
    return dict(load_metadata(metadata).get("settings") or {})


def metadata_for(db_path: Path, metadata: Path = METADATA) -> dict[str, Any]:
    """Datasette 0.65 metadata for serving ``db_path``.

    Datasette names a database after its file, so ``--db /tmp/news.db`` is
    database ``news``: the ``kb`` block, and the plugin settings that name a
    database, follow it. ``settings`` is taken out (it becomes ``--setting``).
    """
    data = load_metadata(metadata)
    data.pop("settings", None)
    name = Path(db_path).stem
    if name == DATABASE_KEY:
        return data
    databases = data.get("databases") or {}
    if DATABASE_KEY in databases:
        databases[name] = databases.pop(DATABASE_KEY)
    plugins = data.get("plugins") or {}
    for config in (plugins.get("datasette-dashboards") or {}).values():
        for part in ("charts", "filters"):
            for item in (config.get(part) or {}).values():
                if item.get("db") == DATABASE_KEY:
                    item["db"] = name
    site = plugins.get("kb-site") or {}
    if site.get("database") == DATABASE_KEY:
        site["database"] = name
    return data


def setting_value(value: Any) -> str:
    """A setting as ``datasette serve --setting`` takes it."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def datasette_command(db_path: Path, *, host: str = "127.0.0.1", port: int = 8001, immutable: bool = False,
                      metadata: Path = METADATA) -> list[str]:
    """The ``datasette serve`` command line for a KB file: metadata, templates, plugin, settings."""
    prepared = Path(tempfile.mkdtemp(prefix="kb-serve-")) / "metadata.json"
    prepared.write_text(json.dumps(metadata_for(db_path, metadata), ensure_ascii=False), encoding="utf-8")
    command = [
        sys.executable, "-m", "datasette", "serve", "--host", host, "--port", str(port),
        "--metadata", str(prepared), "--template-dir", str(TEMPLATES), "--plugins-dir", str(PLUGINS),
    ]
    if immutable:
        from kb.publish.inspect import checkpoint, write_inspect_file

        checkpoint(db_path)  # an immutable reader ignores the write-ahead log
        # table counts once at start instead of per page view (and no hash of the whole file)
        inspect_file = write_inspect_file(db_path, prepared.parent / "inspect-data.json")
        command += ["--immutable", str(db_path), "--inspect-file", str(inspect_file)]
    else:
        command += [str(db_path)]
    for name, value in settings(metadata).items():
        command += ["--setting", name, setting_value(value)]
    return command


def datasette_app(db_path: Path, *, immutable: bool = False, metadata: Path = METADATA) -> Any:
    """An in-process Datasette configured as ``kb serve`` configures it (for tests and scripts)."""
    from datasette.app import Datasette

    files: dict[str, Any] = {"immutables": [str(db_path)]} if immutable else {"files": [str(db_path)]}
    if immutable:
        from kb.publish.inspect import checkpoint, inspect_data

        checkpoint(db_path)
        files["inspect_data"] = inspect_data(db_path)
    return Datasette(**files, metadata=metadata_for(db_path, metadata), template_dir=str(TEMPLATES),
                     plugins_dir=str(PLUGINS), settings=settings(metadata))


def serve(db_path: Path, *, host: str = "127.0.0.1", port: int = 8001, immutable: bool = False) -> int:
    """Run Datasette in the foreground until interrupted or terminated; returns its exit code.

    SIGTERM and SIGHUP are passed on to Datasette: without that, stopping ``kb serve``
    would leave Datasette running, still holding the port and our stdout/stderr.
    """
    process = subprocess.Popen(datasette_command(db_path, host=host, port=port, immutable=immutable))

    def stop(signum: int, frame: Any) -> None:
        process.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
