"""Scrapy settings for newswatch's crawls (scrapy.cfg points here).

`newswatch crawl` starts from these and adds what the configuration file says (archive path, watch
terms, sources, per-host delay); see newswatch/crawl.py. Components read their own settings from
`crawler.settings`, never by importing this module.
"""

from scrapy.settings import default_settings as _scrapy

BOT_NAME = "newswatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: a real User-Agent with a contact URL, robots.txt obeyed, one request at a time per
# host with a delay, and AutoThrottle slowing down further when a server does.
USER_AGENT = "newswatch/0.1 (+https://github.com/newswatch-kr/newswatch; Korean news monitor)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # each wait is 0.5–1.5 × the delay
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries on server errors and timeouts; a news page that takes longer than this is not worth it.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # the spider's errback logs the one line for each failure
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # an article page is well under 10 MB; refuse bigger ones
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5",
}

# Scrapy's own components, less those that do nothing for these crawls. They are left out of the
# *_BASE lists rather than set to None, because Scrapy imports every component it is told about,
# None or not. Each costs time on every request or at every start: DepthMiddleware only counts
# depth (no DEPTH_LIMIT here); MetaCopyDetectionMiddleware is a spider-writing aid;
# OffsiteMiddleware filters by allowed_domains, which no spider sets; HttpAuthMiddleware serves
# http_user/http_pass, which none has (these four cost a bare Scrapy crawl of the throughput
# mirror CPU on every request: bench/RESULTS.md, Throughput); CookiesMiddleware is off
# (COOKIES_ENABLED) and imports tldextract; the remote-control extension is off (below) and imports
# aiohttp; MetaRefreshMiddleware and AutoThrottle have replacements here (QuickMetaRefresh,
# PoliteThrottle).
_UNUSED = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware",
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.throttle.AutoThrottle",
}
SPIDER_MIDDLEWARES_BASE = {
    k: v for k, v in _scrapy.SPIDER_MIDDLEWARES_BASE.items() if k not in _UNUSED
}
DOWNLOADER_MIDDLEWARES_BASE = {
    k: v for k, v in _scrapy.DOWNLOADER_MIDDLEWARES_BASE.items() if k not in _UNUSED
}
EXTENSIONS_BASE = {k: v for k, v in _scrapy.EXTENSIONS_BASE.items() if k not in _UNUSED}

SPIDER_MIDDLEWARES = {
    "pipelines.known.KnownUrlFilter": 50,
}
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100), so not even robots.txt is fetched from a refused address.
    "crawler.middlewares.PrivateAddressGuard": 50,
    # After robots.txt (100), whose Crawl-delay it needs: defers what one slow host cannot serve.
    "crawler.middlewares.HostBudget": 150,
    # Scrapy's meta-refresh redirects, without decoding every page to look for the tag.
    "crawler.middlewares.QuickMetaRefresh": 580,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.relevance.RelevancePipeline": 200,
    "pipelines.dedup.DedupPipeline": 300,
    "pipelines.alerts.AlertRoutingPipeline": 350,  # off without alert channels
    "pipelines.archive.ArchivePipeline": 400,
}
EXTENSIONS = {
    # What the spider and the stages share, fetched with crawler.get_extension.
    "crawler.extensions.ExtractionPool": 10,  # the extraction workers (pages and feeds)
    "pipelines.session.ArchiveSession": 20,  # the crawl's one connection to the archive
    "pipelines.run_recorder.RunRecorder": 100,
    "crawler.extensions.PageLog": 110,  # -v: what became of each rejected page
    # AutoThrottle plus robots.txt Crawl-delay and Retry-After (crawler/politeness.py).
    "crawler.politeness.PoliteThrottle": 0,
}
# Scrapy's HTTP/1.1 handler, with idle connections kept for every request in flight (through a
# proxy all of them go to one address; see crawler/download.py).
DOWNLOAD_HANDLERS = {
    "http": "crawler.download.PooledHTTP11DownloadHandler",
    "https": "crawler.download.PooledHTTP11DownloadHandler",
}
POLITENESS_MAX_BACKOFF = 120.0  # seconds; the longest wait a 429/503 Retry-After can impose
# Seconds: the longest Crawl-delay honoured, and the longest a page waits for its host's turn;
# pages past it are deferred to a later crawl ([crawl] max_host_wait; crawler/middlewares.py).
POLITENESS_MAX_WAIT = 30.0
POLITENESS_ADAPTIVE = True  # AutoThrottle's slowing down for slow hosts ([crawl] adaptive)

# Extraction worker processes (crawler/extensions.py ExtractionPool); None: one per core, 0: none,
# pages are read in the crawl process.
EXTRACT_WORKERS: int | None = None

# Set from the configuration file by newswatch/crawl.py.
ARCHIVE_PATH = "newswatch.db"
# Seconds of writes the archive stage commits at once (pipelines/archive.py); 0: each page alone.
ARCHIVE_COMMIT_INTERVAL = 0.5
WATCHES: list[dict[str, object]] = []  # name, terms, exclude per watch (newswatch.toml [[watches]])
WATCH_TERMS: list[str] = []  # older form: one watch of these terms, when WATCHES is empty
WATCH_MIN_SCORE = 1
NEWSWATCH_SOURCES: list[dict[str, object]] = []  # Source.settings() of each (crawler/sources/)
NEWSWATCH_ALLOW_PRIVATE = False
# Alert channels as the crawl sees them: {id, label, min_score, terms}; never URLs or secrets.
ALERTS_CHANNELS: list[dict[str, object]] = []
ALERTS_BACKFILL = False  # queue alerts even in the archive's first crawl

# Dedup (pipelines/dedup.py; defaults measured on the labelled set, see docs/stories.md,
# "Thresholds, measured").
DEDUP_NEAR_DUPLICATE = 0.5  # character 4-gram Jaccard at or above which a text is the same article
DEDUP_SAME_STORY = 0.08  # Jaccard at or above which a new article joins the other's story
DEDUP_STORY_WINDOW_DAYS = 3  # a story gathers articles published within this many days

# Scrapy runs this many tasks for each response's output; a page gives one item, and with the
# default (100) a crawl spent much of its main process creating and waking idle tasks
# (bench/RESULTS.md, Throughput).
CONCURRENT_ITEMS = 4

DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"  # rejections are routine and counted; no log line each
LOG_LEVEL = "INFO"
# No consoles: a crawl has no business listening on a port (telnet, or 2.19's remote-control
# HTTP server, which runs code sent to it).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
