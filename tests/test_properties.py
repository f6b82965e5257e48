"""Property-based tests (hypothesis) of URL identity (crawler/urls.py), watch-term matching
(crawler/watch.py) and exact shingle-set Jaccard (crawler/similarity.py). Derandomized with
modest example counts: deterministic on CI, a few seconds."""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl, urlsplit

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.similarity import jaccard
from crawler.urls import article_key, canonical_url
from crawler.watch import WatchTerms, fold

FIXED = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
HOSTS = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_LABEL, min_size=1, max_size=3),
    st.sampled_from(["com", "co.kr", "kr", "net"]),
)
_SEGMENT = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_characters="/?#%\\", exclude_categories=["Cs", "Cc", "Z"]
    ),
    min_size=1,
    max_size=8,
)
PATHS = st.lists(_SEGMENT, min_size=0, max_size=4).map(lambda parts: "/" + "/".join(parts))
_KEY = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
    lambda k: not k.startswith("utm_") and k not in TRACKING_NAMES and k not in {"amp"}
)
_VALUE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789가나다", max_size=8)
TRACKING_NAMES = ["utm_source", "utm_medium", "utm_campaign", "fbclid", "gclid", "from", "ref"]
QUERIES = st.lists(st.tuples(_KEY, _VALUE), max_size=4, unique_by=lambda kv: kv[0])


def build(
    scheme: str, host: str, path: str, query: list[tuple[str, str]], fragment: str = ""
) -> str:
    from urllib.parse import urlencode

    url = f"{scheme}://{host}{path}"
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{fragment}" if fragment else "")


URLS = st.builds(build, st.sampled_from(["http", "https"]), HOSTS, PATHS, QUERIES)


@FIXED
@given(st.text(max_size=200))
def test_canonical_url_and_article_key_never_raise_on_any_text(text: str) -> None:
    canonical = canonical_url(text)
    assert isinstance(canonical, str)
    assert canonical_url(canonical) == canonical
    assert isinstance(article_key(text), str)


@FIXED
@given(
    st.sampled_from(["http", "https", "ftp", ""]),
    st.text(max_size=30),
    st.one_of(st.none(), st.integers(min_value=-10, max_value=200_000), st.text(max_size=6)),
    st.text(max_size=40),
)
def test_url_shaped_garbage_never_raises(scheme: str, host: str, port: object, rest: str) -> None:
    # Hostile feeds give broken hosts ("[::1"), ports ("99999", "x"), spaces and controls.
    url = f"{scheme}://{host}" + (f":{port}" if port is not None else "") + rest
    canonical = canonical_url(url)
    assert canonical_url(canonical) == canonical
    assert isinstance(article_key(url), str)


@FIXED
@given(URLS, st.text(alphabet="abc123", max_size=5))
def test_canonical_url_is_idempotent_and_drops_the_fragment(url: str, fragment: str) -> None:
    canonical = canonical_url(url + (f"#{fragment}" if fragment else ""))
    assert canonical_url(canonical) == canonical
    assert "#" not in canonical
    assert canonical == canonical_url(url)
    assert article_key(canonical) == article_key(url)


@FIXED
@given(
    st.tuples(st.sampled_from(["http", "https"]), HOSTS, PATHS),
    QUERIES,
    st.lists(st.tuples(st.sampled_from(TRACKING_NAMES), _VALUE), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
def test_tracking_parameters_go_and_the_rest_of_the_identity_stays(
    address: tuple[str, str, str],
    query: list[tuple[str, str]],
    tracking: list[tuple[str, str]],
    random: object,
) -> None:
    scheme, host, path = address
    mixed = list(query)
    for pair in tracking:
        mixed.insert(random.randrange(len(mixed) + 1), pair)  # type: ignore[attr-defined]
    clean = canonical_url(build(scheme, host, path, query))
    assert canonical_url(build(scheme, host, path, mixed)) == clean
    parts = urlsplit(clean)
    # Identity kept: scheme, host, every other parameter with its value.
    assert parts.scheme == scheme
    assert parts.hostname == host
    assert sorted(parse_qsl(parts.query, keep_blank_values=True)) == sorted(query)


@FIXED
@given(st.sampled_from(["http", "https"]), HOSTS, PATHS, QUERIES)
def test_scheme_and_host_case_do_not_matter_but_path_case_does(
    scheme: str, host: str, path: str, query: list[tuple[str, str]]
) -> None:
    url = build(scheme, host, path, query)
    assert canonical_url(build(scheme.upper(), host.upper(), path, query)) == canonical_url(url)
    if path.upper() != path:
        assert canonical_url(build(scheme, host, path.upper(), query)) != canonical_url(url)


@FIXED
@given(HOSTS, PATHS, st.sampled_from(["www.", "m.", "mobile.", "amp."]))
def test_mobile_and_www_variants_share_an_article_key(host: str, path: str, prefix: str) -> None:
    assert article_key(f"https://{prefix}{host}{path}") == article_key(f"https://{host}{path}")


# --- watch terms ----------------------------------------------------------------------------------

TERMS = WatchTerms.of(["LG AI연구원", "엑사원", "EXAONE"])
# Hangul syllables without 엑 and 연, digits, spaces and punctuation: no term can occur in it.
_HANGUL_WITHOUT = st.characters(
    min_codepoint=0xAC00, max_codepoint=0xD7A3, exclude_characters="엑연"
)
KOREAN = st.text(
    alphabet=st.one_of(_HANGUL_WITHOUT, st.sampled_from(" .,\n0123456789")), max_size=200
)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@FIXED
@given(KOREAN)
def test_text_without_the_terms_never_matches(text: str) -> None:
    assert TERMS.mentions(text) == 0
    assert TERMS.matched(text, text) == []


@FIXED
@given(
    KOREAN,
    st.integers(min_value=0),
    st.sampled_from(TERMS.terms),
    st.sampled_from(["을", "은", "의", ""]),
)
def test_a_term_inserted_anywhere_is_found(text: str, at: int, term: str, particle: str) -> None:
    at %= len(text) + 1
    mixed = text[:at] + term + particle + text[at:]
    assert TERMS.mentions(mixed) == 1
    assert TERMS.matched("", mixed) == [term]


@FIXED
@given(
    KOREAN,
    st.integers(min_value=0),
    st.sampled_from(TERMS.terms),
    st.sampled_from(["nfd", "nfkd", "fullwidth", "lower", "spaced", "hyphen", "nbsp"]),
)
def test_matching_is_invariant_under_spacing_width_case_and_normal_form(
    text: str, at: int, term: str, variant: str
) -> None:
    at %= len(text) + 1
    changed = {
        "nfd": unicodedata.normalize("NFD", term),
        "nfkd": unicodedata.normalize("NFKD", term),
        "fullwidth": _fullwidth(term),
        "lower": term.lower(),
        "spaced": " ".join(term),
        "hyphen": "-".join(term),
        "nbsp": term.replace(" ", "\u00a0"),
    }[variant]
    mixed = text[:at] + changed + text[at:]
    assert TERMS.mentions(mixed) == 1
    assert fold(mixed) == fold(text[:at] + term + text[at:])


_HASHES = st.sets(st.integers(min_value=0, max_value=2**64 - 1), max_size=60)


@FIXED
@given(_HASHES, _HASHES, _HASHES)
def test_jaccard_of_sorted_shingle_sets_is_the_set_jaccard(
    a: set[int], b: set[int], shared: set[int]
) -> None:
    a, b = a | shared, b | shared
    left, right = (np.array(sorted(s), dtype=np.uint64) for s in (a, b))
    expected = len(a & b) / len(a | b) if a and b else 0.0
    assert jaccard(left, right) == expected
    assert jaccard(right, left) == expected
