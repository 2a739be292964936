"""End of day: the close-out before going off shift.

The counts of the day (done, missed, not finished, unsigned, missing EVV, unsent changes, conflicts),
with what still needs fixing listed and highlighted (tap a visit to open it); "Create report" lays out
the PDF and previews its first page; "Submit to the office" creates the day's report record through
``DayActions.submit_day_report`` and then, on a background thread, uploads the PDF, sends the report and
compares the office's receipt, record by record, with this tablet (``fieldapp.reports.submit``). The
screen never waits on the network: it shows progress and then a clear result. When changes are still
unsent it says so and offers "Sync now" first, so the receipt can confirm them.

One module per part: ``screen`` (layout and flow), ``counts`` (tiles and what to fix), ``receipt``
(the office's receipt compared), ``task`` (the submission on a pool thread).
"""

from fieldapp.ui.end_of_day.receipt import STATE_MARKS, STATE_WORDS
from fieldapp.ui.end_of_day.screen import EndOfDayScreen
from fieldapp.ui.end_of_day.task import SubmitTask

__all__ = ["STATE_MARKS", "STATE_WORDS", "EndOfDayScreen", "SubmitTask"]
