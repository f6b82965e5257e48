"""URL identity and the private-address rule (pure functions)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler.urls import article_key, canonical_url, is_public_address


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.mk.co.kr/news/it/11333783", "https://www.mk.co.kr/news/it/11333783"),
        (
            "HTTPS://WWW.MK.CO.KR:443/news/it/11333783#comments",
            "https://www.mk.co.kr/news/it/11333783",
        ),
        (
            "https://www.mk.co.kr/news/it/11333783?utm_source=naver&utm_medium=rss&fbclid=x1",
            "https://www.mk.co.kr/news/it/11333783",
        ),
        (
            "https://www.aitimes.com/news/articleView.html?idxno=160001&gclid=abc",
            "https://www.aitimes.com/news/articleView.html?idxno=160001",
        ),
        (
            "https://www.yna.co.kr/view/AKR20260106?section=it&input=1195m",
            "https://www.yna.co.kr/view/AKR20260106?input=1195m&section=it",
        ),
        ("http://127.0.0.1:8080/a?", "http://127.0.0.1:8080/a"),
        ("http://example.com", "http://example.com/"),
        (
            "https://news.example.kr/기사/엑사원",
            "https://news.example.kr/%EA%B8%B0%EC%82%AC/%EC%97%91%EC%82%AC%EC%9B%90",
        ),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical  # idempotent


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
        ("fc00::1", False),
        ("224.0.0.1", False),
        ("211.115.106.201", True),
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    ("short", "full"),
    [
        # Naver search API `originallink` values quoted in public crawler code, and the article
        # address each one opens.
        (
            "http://yna.kr/AKR20200429023252002?did=1195m",
            "https://www.yna.co.kr/view/AKR20200429023252002",
        ),
        ("http://yna.kr/AKR20210610160100005", "https://m.yna.co.kr/view/AKR20210610160100005"),
        (
            "https://yna.kr/AKR20201002045851001?did=1195m",
            "https://www.yna.co.kr/amp/view/AKR20201002045851001?input=1195m",
        ),
    ],
)
def test_yna_short_link_is_the_same_article(short: str, full: str) -> None:
    assert article_key(short) == article_key(full) == f"yna:{urlsplit(full).path.split('/')[-1]}"


def test_yna_short_link_without_an_article_id_is_its_own_address() -> None:
    assert article_key("https://yna.kr/") == "web:yna.kr/"
