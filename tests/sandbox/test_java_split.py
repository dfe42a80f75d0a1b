import re

import pytest

from scdi.sandbox.core.java_split import java_split


@pytest.mark.parametrize("pattern,text,parts", [
    (":", "", [""]),            # no match: the input itself
    (":", "::", []),            # every part empty and trailing
    (":", "dx:a;b:", ["dx", "a;b"]),
    (";", "a;;b;;", ["a", "", "b"]),
    (re.compile(r"(?<!/),"), "a/,b,c,", ["a/,b", "c"]),
])
def test_java_split_drops_trailing_empty_strings_unless_nothing_matched(pattern, text, parts):
    assert java_split(pattern, text) == parts
