"""Content words per article, their archive-wide counts and weekly counts."""

from __future__ import annotations

from sqlite_utils import Database


def m010_words(db: Database) -> None:
    """Content words per article (crawler/words.py), their archive-wide counts and weekly counts.

    `article_words` is the truth, one row per article and word; `words` (in how many articles a
    word occurs: story labels' document frequency) and `word_weeks` (in how many articles of a
    week: trends) are kept in step with it in the same transaction, so neither label nor trend
    ever scans the per-article rows. `analysed_articles` says which text of an article was
    analysed: an article whose text changed since (a new version) is analysed again.
    """
    db.execute(
        "create table article_words (article_id integer not null references articles(id),"
        " word text not null, count integer not null, in_title integer not null default 0,"
        " primary key (article_id, word))"
        " without rowid"
    )
    db.execute("create index idx_article_words_word on article_words(word, article_id)")
    db.execute(
        "create table words (word text primary key, articles integer not null,"
        " occurrences integer not null) without rowid"
    )
    db.execute(
        "create table word_weeks (week text not null, word text not null,"
        " articles integer not null, primary key (week, word)) without rowid"
    )
    db.execute("create index idx_word_weeks_word on word_weeks(word, week)")
    db.execute(
        "create table analysed_articles (article_id integer primary key references articles(id),"
        " week text not null, text_hash text, words integer not null, analysed_at text not null)"
    )
    db.execute("create index idx_analysed_articles_week on analysed_articles(week)")
