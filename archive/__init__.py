"""newswatch's SQLite archive: schema, writes and queries (the only module that writes SQL)."""

from archive.store import KST, Archive, NewArticle, RawPage, Stored, now_kst, text_hash

__all__ = ["KST", "Archive", "NewArticle", "RawPage", "Stored", "now_kst", "text_hash"]
