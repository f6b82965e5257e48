"""newswatch's SQLite archive: schema, writes and queries (the only module that writes SQL)."""

from archive.store import Archive, NewArticle, RawPage, Stored, pack_page
from crawler.clock import KST, now_kst
from crawler.similarity import text_hash

__all__ = ["KST", "Archive", "NewArticle", "RawPage", "Stored", "now_kst", "pack_page", "text_hash"]
