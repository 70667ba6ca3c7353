"""The Scrapy project: spiders, items, pipelines and settings. Glue only:
parsing, extraction and storage live in :mod:`kb`."""
