"""The check behind every "the error names the problem" test."""

import pytest


def raises_naming(call, error, words):
    """`call()` raises `error`, and its message holds each of `words`; the error, for more checks."""
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value), f"{word!r} not in {str(raised.value)!r}"
    return raised.value
