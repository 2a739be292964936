"""Which passwords an account may have: NIST SP 800-63B's rules, not composition rules (decision 0015).

At least 8 characters and up to 256 (long passphrases welcome; every character counts, spaces included);
not on a list of common and breached passwords (``common-passwords.txt.gz``: 19,640 from Django, see
``common-passwords.LICENSE.txt``), compared ignoring case and surrounding spaces; not the user name or the
product's name with only digits or punctuation added; not one character repeated or a run such as
"abcdefgh" or "87654321". No rules about upper case, digits or symbols: they make passwords harder to
remember, not to guess.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import re
from pathlib import Path

MIN_LENGTH = 8
MAX_LENGTH = 256  # what a sign-in accepts (LoginRequest)
COMMON = Path(__file__).with_name("common-passwords.txt.gz")
SERVICE_WORDS = ("fieldapp",)
ADVICE = "a few unrelated words make a good password"


@functools.cache
def common_passwords() -> frozenset[str]:
    """The list, loaded once (about 20,000 entries, 2 MB in memory)."""
    with gzip.open(COMMON, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def problem(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be used (one sentence), or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters; {ADVICE}"
    if len(password) > MAX_LENGTH:
        return f"a password may have at most {MAX_LENGTH} characters"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
        return "a password must not contain control characters"
    folded = password.strip().lower()
    if folded in common_passwords():
        return f"this password is on a list of common or breached passwords; {ADVICE}"
    name = username.strip().lower()
    for word in (name, *SERVICE_WORDS):
        if word and re.fullmatch(re.escape(word) + r"[\W\d_]*", folded):
            return f"a password must not be the user name or the product's name; {ADVICE}"
    if len(set(folded)) == 1 or _run(folded):
        return f"a password must not be one character repeated or a run such as abcdefgh; {ADVICE}"
    return None


def _run(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return steps in ({1}, {-1})
