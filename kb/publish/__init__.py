"""Publish the KB with Datasette.

Everything a site needs ships in this package, so ``kb serve`` and ``kb publish``
work from an installed copy as well as from the repository:

- ``metadata.yml``: descriptions, licence, labels, facets, canned queries, plugin
  configuration and settings (one file for Datasette 0.65, laid out to split into
  metadata and configuration for Datasette 1.0);
- ``templates/``: the home page, entity pages, the search page;
- ``plugins/kb_site.py``: the Datasette plugin behind them (standard library and
  Datasette only, so a deployed directory needs no ai-news-kb installation).

:mod:`kb.publish.site` builds the Datasette command line; :mod:`kb.publish.deploy`
writes a directory ready for ``datasette publish`` or for identical servers.
"""

from kb.publish.deploy import PublishedSite, publish_directory
from kb.publish.site import (
    METADATA,
    PLUGINS,
    PLUGIN_REQUIREMENTS,
    PROJECT_ROOT,
    TEMPLATES,
    datasette_app,
    datasette_command,
    load_metadata,
    metadata_for,
    serve,
    settings,
)

__all__ = [
    "METADATA", "PLUGINS", "PLUGIN_REQUIREMENTS", "PROJECT_ROOT", "TEMPLATES", "PublishedSite",
    "datasette_app", "datasette_command", "load_metadata", "metadata_for", "publish_directory", "serve", "settings",
]
