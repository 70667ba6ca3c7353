"""Scrapy settings for ai-news-kb. Politeness lives here, and every crawl loads it.

``kb crawl`` always starts Scrapy through :func:`crawler.run.crawl_settings`,
which loads this module; ``--delay`` and ``--concurrency`` override the two
politeness knobs for local mirrors and tests, nothing else.
"""

BOT_NAME = "ai-news-kb"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "ai-news-kb/0.1 (+https://github.com/ai-news-kb/ai-news-kb; news research crawler)"
ROBOTSTXT_OBEY = True

# One request at a time per site, at least a second apart, slower when the site is slow.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50 %, so requests do not beat like a metronome
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # a news page is never 10 MB; a gzip bomb is
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {"crawler.pipelines.KnowledgeBasePipeline": 300}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateAddressMiddleware": 50,
    "crawler.middlewares.OffsiteRedirectMiddleware": 650,
    # Scrapy's own, fixed: in 2.19 the third and later requests waiting for a host's robots.txt skip it
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,
}

# Where the pipeline writes; `kb crawl --db` sets it.
KB_DB = "data/kb.db"
# Processes that parse and extract fetched pages (`kb crawl --workers`, default one per core there);
# 1 = in the crawl process. The crawl process alone writes the KB either way.
KB_WORKERS = 1
KB_EXTRACT_TIMEOUT = 60.0  # seconds a worker may spend on one page before it is replaced

LOG_LEVEL = "WARNING"
FEED_EXPORT_ENCODING = "utf-8"
