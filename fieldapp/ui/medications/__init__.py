"""The patient's medications, allergies and diagnoses on the tablet: the panel (``MedicationsPanel``), the
medication editor and the editor of the allergy and diagnosis lists."""

from fieldapp.ui.medications.editor import MedicationDialog
from fieldapp.ui.medications.lists import ClinicalListsDialog
from fieldapp.ui.medications.panel import MedicationsPanel

__all__ = ["ClinicalListsDialog", "MedicationDialog", "MedicationsPanel"]
