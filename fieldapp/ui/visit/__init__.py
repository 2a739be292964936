"""The visit screen: everything a worker does at the patient's door, in the order they do it.

Who and where (name, address, allergies first and loud), the schedule and status; check-in with the
place of service (a GPS fix when the device has one, otherwise "at the patient's home" or "in the
community"), check-out, "missed", and manual time corrections with a reason code; notes (never edited:
a correction is an amendment that names the original); vital signs with the allowed units and
plausible ranges of each kind; which electronic-visit-verification elements are still missing; and
signing. Once signed, the attested content is shown locked and later entries are marked as added
after signing.

One module per part: ``screen`` (the header, the layout and the actions), ``times``, ``correction``,
``notes``, ``vitals``, ``signature``, and ``parts`` (what they share). Reads come from ``VisitReads``
and writes go through ``VisitActions`` (``fieldapp.qt.ports``); the screen refreshes from
``records_did_change``. No SQL, no network.
"""

from fieldapp.ui.visit.correction import TimeCorrectionDialog
from fieldapp.ui.visit.screen import VisitScreen
from fieldapp.ui.visit.signature import attestation_text
from fieldapp.ui.visit.times import LocationSource, NoGps

__all__ = ["LocationSource", "NoGps", "TimeCorrectionDialog", "VisitScreen", "attestation_text"]
