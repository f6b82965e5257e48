"""Source types: one module per kind of discovery channel (crawler/sources/registry.py has them
all; docs/adding-a-source-type.md says how to add one). Kept free of imports, so a worker that
reads feeds (crawler.sources.feeds) loads no Scrapy."""
