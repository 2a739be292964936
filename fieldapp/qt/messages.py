"""Messages the Qt-free layers write in English (``fieldapp.config``'s settings checks, the transport's
network problems), marked here for the translators: ``fieldapp.qt.i18n.message`` looks a message up in
the ``Messages`` context when a screen shows it, and shows it as written when the catalogue lacks it.
``tests/gui/test_i18n.py`` checks that each still is what those layers write."""

from __future__ import annotations

from fieldapp.domain.language import QT_TRANSLATE_NOOP

# fieldapp.config.server_address
SERVER_ADDRESS = (
    QT_TRANSLATE_NOOP("Messages", "Enter an address such as https://office.example.org."),
    QT_TRANSLATE_NOOP("Messages", "The server address is too long."),
    QT_TRANSLATE_NOOP("Messages", "The server address must not contain spaces or invisible characters."),
    QT_TRANSLATE_NOOP(
        "Messages",
        "The server address must use plain letters, digits and punctuation (write an international name in "
        "its xn-- form).",
    ),
    QT_TRANSLATE_NOOP(
        "Messages",
        "The server address must start with https:// (or http://). Enter an address such as "
        "https://office.example.org.",
    ),
    QT_TRANSLATE_NOOP("Messages", "The server address must not contain a user name or password."),
    QT_TRANSLATE_NOOP("Messages", "The server address must not contain ? or #."),
    QT_TRANSLATE_NOOP("Messages", "The server address has a port number that cannot work."),
)
# fieldapp.transport.http: why a sync did not finish
NETWORK = (
    QT_TRANSLATE_NOOP(
        "Messages", "the office server did not answer in time; your changes are safe on this tablet"
    ),
    QT_TRANSLATE_NOOP(
        "Messages",
        "the office server cannot be reached (no connection); your changes are safe on this tablet",
    ),
)
