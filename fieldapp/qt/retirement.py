"""``RetirementService``: the retired-tablet screen's adapter (``fieldapp.ui.retired``).

When the office has removed the tablet from service, the composition root closes the workspace and hands
this service the erasing work (``erase()``: confirm to the server, close the store, wipe keys and files;
it returns the sentence to show). The work touches the network once, so it runs on Qt's thread pool while
the screen says what is happening; ``finished(message)`` follows. At a later start the tablet is already
erased and the service is given the ``message`` only. ``set_up_again()`` forgets the retirement (given by
the composition root too) and emits ``reset``: the shell then shows an empty sign-in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from fieldapp.qt.background import Background

log = logging.getLogger(__name__)


class RetirementService(QObject):
    """What the retired screen shows and its one action."""

    finished = Signal(str)  # the message, once the tablet is erased
    reset = Signal()  # set up again: show sign-in

    def __init__(
        self,
        set_up_again: Callable[[], None],
        *,
        message: str | None = None,
        erase: Callable[[], str] | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._set_up_again, self._erase = set_up_again, erase
        self.message = message
        self._background = Background[str](
            self, self._done, "the erase finished after its screen was closed", pool
        )
        self._erasing = False

    @property
    def erasing(self) -> bool:
        """Whether the erase is still under way."""
        return self._erasing

    def start(self) -> None:
        """Run the erase in the background (when there is one to run)."""
        erase = self._erase
        if erase is None or self._erasing:
            return
        self._erase = None
        self._erasing = True

        def run() -> str:
            try:
                return erase()
            except Exception as exc:  # whatever happens, the screen must say it
                log.exception("erasing the retired tablet failed")
                return (
                    f"This tablet was removed from service by the office, but erasing it did not finish "
                    f"({exc}). It finishes at the next start of the app; if this message stays, ask IT."
                )

        self._background.start(run)

    @Slot(str)
    def _done(self, message: str) -> None:
        self._erasing = False
        self.message = message
        self.finished.emit(message)

    def set_up_again(self) -> None:
        """Forget the retirement and go back to an empty sign-in (not while still erasing)."""
        if self._erasing:
            return
        try:
            self._set_up_again()
        except Exception as exc:  # an erase that cannot finish (no keyring, a file in use): say so, stay
            log.error("cannot set the tablet up again: %s", exc)
            self.message = f"The tablet cannot be set up again yet: {exc}."
            self.finished.emit(self.message)
            return
        self.reset.emit()
