"""Log redaction holds for any query: property-based, since the values are people's data."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from scdi.connector.logsafe import REDACTED, SAFE_PARAMS, install_urllib3_redaction, safe_params, strip_query

# Values long enough not to occur by chance inside parameter names or the redaction marker.
secret_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=6, max_size=40)
unsafe_names = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:", min_size=1, max_size=20
).filter(lambda name: name not in SAFE_PARAMS)


@given(st.dictionaries(unsafe_names, secret_values, min_size=1, max_size=5))
def test_values_of_unlisted_parameters_never_appear(params):
    rendered = safe_params(params)
    for name in params:
        assert f"{name}={REDACTED}" in rendered
    # the rendering does not depend on the values at all, so none of them can leak
    assert rendered == safe_params(dict.fromkeys(params, "x"))


@given(st.sampled_from(sorted(SAFE_PARAMS)), st.integers(min_value=0, max_value=10_000))
def test_harmless_parameters_are_shown(name, value):
    assert safe_params({name: value}) == f"?{name}={value}"


@given(st.text(min_size=1, max_size=30).filter(lambda s: "?" not in s), secret_values)
def test_strip_query_cuts_everything_after_the_question_mark(path, query):
    stripped = strip_query(f"{path}?{query}")
    assert stripped == f"{path}?{REDACTED}"


def test_urllib3_records_lose_their_query_strings(caplog):
    install_urllib3_redaction()
    install_urllib3_redaction()  # idempotent
    logger = logging.getLogger("urllib3.connectionpool")
    assert len([f for f in logger.filters if f.__class__.__name__ == "_StripQueryStrings"]) == 1
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    logger.debug(
        '%s://%s:%s "%s %s %s" %s %s', "http", "h", 80, "GET", "/api/x?filter=a:eq:0912345678", "HTTP/1.1", 200, 5
    )
    assert "0912345678" not in caplog.text
    assert "/api/x?" in caplog.text
