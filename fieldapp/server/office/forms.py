"""HTML forms of the office pages: reading a posted form, and the patient form to and from wire values.

The patient form groups its inputs by the patient's fields (the address is one field with several
inputs). Each group is rendered with a digest of what was shown (``seen_<field>``) and the stamp of the
value it showed (``base_<field>``): on submission only the groups whose inputs differ from what was shown
are sent as changes, so a field the office did not touch never overwrites a tablet's edit of it.
Validation is the domain's (``fieldapp.domain.entities.Patient``); this module only turns text into the
wire shapes and names the inputs that could not be read at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fieldapp.domain.values import AllergySeverity, Sex
from fieldapp.server.office.i18n import N_, gettext, say

MAX_FORM_BYTES = 256 * 1024
MAX_FIELDS = 300

GROUPS: dict[str, tuple[str, ...]] = {
    "mrn": ("mrn",),
    "given_name": ("given_name",),
    "family_name": ("family_name",),
    "date_of_birth": ("date_of_birth",),
    "sex": ("sex",),
    "phone": ("phone",),
    "address": (
        "address_line1",
        "address_line2",
        "address_city",
        "address_region",
        "address_postal_code",
        "address_country",
        "address_latitude",
        "address_longitude",
    ),
    "emergency_contact": ("ec_name", "ec_relationship", "ec_phone"),
    "allergies": ("allergies",),
    "diagnoses": ("diagnoses",),
    "care_plan": ("care_plan",),
    "active": ("active",),
}
INPUTS = tuple(name for names in GROUPS.values() for name in names)
SEXES = tuple(s.value for s in Sex)
SEVERITIES = tuple(s.value for s in AllergySeverity)
SEPARATOR = " | "


class FormError(Exception):
    """The request is not a form this server can read."""


@dataclass
class Form:
    """A posted ``application/x-www-form-urlencoded`` form: the first value of each name."""

    values: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def parse_form(body: bytes) -> Form:
    """Decode a urlencoded body (UTF-8); NUL characters are refused here, before any database sees them."""
    if len(body) > MAX_FORM_BYTES:
        raise FormError(gettext("The form is too large (at most %(size)s KiB).", size=MAX_FORM_BYTES // 1024))
    try:
        text = body.decode("utf-8")
        parsed = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormError(
            gettext("The form could not be read (%(why)s).", why=exc.__class__.__name__)
        ) from None
    values = {name: items[0] for name, items in parsed.items() if items}
    if any("\0" in v or "\0" in k for k, v in values.items()):
        raise FormError(gettext("Text must not contain NUL characters."))
    return Form(values)


def normal(text: str) -> str:
    """Browsers send textarea line breaks as CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- patient form ------------------------------------------------------------------------------------------


def patient_inputs(values: Mapping[str, Any]) -> dict[str, str]:
    """The text of every input of the patient form for a patient's wire values."""
    address = values.get("address") or {}
    contact = values.get("emergency_contact") or {}
    shown = {
        "mrn": str(values.get("mrn") or ""),
        "given_name": str(values.get("given_name") or ""),
        "family_name": str(values.get("family_name") or ""),
        "date_of_birth": str(values.get("date_of_birth") or ""),
        "sex": str(values.get("sex") or "unknown"),
        "phone": str(values.get("phone") or ""),
        "address_line1": str(address.get("line1") or ""),
        "address_line2": str(address.get("line2") or ""),
        "address_city": str(address.get("city") or ""),
        "address_region": str(address.get("region") or ""),
        "address_postal_code": str(address.get("postal_code") or ""),
        "address_country": str(address.get("country") or ("US" if not address else "")),
        "address_latitude": _number_text(address.get("latitude")),
        "address_longitude": _number_text(address.get("longitude")),
        "ec_name": str(contact.get("name") or ""),
        "ec_relationship": str(contact.get("relationship") or ""),
        "ec_phone": str(contact.get("phone") or ""),
        "allergies": "\n".join(
            SEPARATOR.join((a.get("substance", ""), a.get("reaction", ""), a.get("severity", "unknown")))
            for a in values.get("allergies") or ()
        ),
        "diagnoses": "\n".join(
            SEPARATOR.join((d.get("code", ""), d.get("description", "")))
            for d in values.get("diagnoses") or ()
        ),
        "care_plan": str(values.get("care_plan") or ""),
        "active": "yes" if values.get("active", True) else "no",
    }
    return shown


def _number_text(value: Any) -> str:
    return "" if value is None else repr(float(value))


def digest(group: str, inputs: Mapping[str, str]) -> str:
    """A short digest of what a group's inputs hold, to tell later whether the office changed them."""
    text = "\x1f".join(normal(inputs.get(name, "")) for name in GROUPS[group])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def changed_groups(form: Form) -> list[str]:
    """The field groups whose inputs differ from what the form showed (every group on a new form)."""
    return [
        g for g in GROUPS if f"seen_{g}" not in form.values or form.get(f"seen_{g}") != digest(g, form.values)
    ]


def patient_values(inputs: Mapping[str, str], groups: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Wire values of the given groups from the form's text, and problems (input name -> message) for
    text that cannot even be read as the field's shape (the domain model checks everything else)."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}

    def text(name: str) -> str:
        return normal(inputs.get(name, ""))

    for group in groups:
        if group in ("mrn", "given_name", "family_name", "care_plan"):
            values[group] = text(group)
        elif group == "date_of_birth":
            if not text(group).strip():
                problems["date_of_birth"] = gettext("enter the date of birth (YYYY-MM-DD)")
            values[group] = text(group).strip()
        elif group == "sex":
            values[group] = text(group) or "unknown"
        elif group == "phone":
            values[group] = text(group).strip() or None
        elif group == "active":
            values[group] = text(group) != "no"
        elif group == "address":
            values[group] = _address(text, problems)
        elif group == "emergency_contact":
            parts = {key: text(f"ec_{key}") for key in ("name", "relationship", "phone")}
            values[group] = parts if any(v.strip() for v in parts.values()) else None
        elif group == "allergies":
            values[group] = _lines(text(group), ("substance", "reaction", "severity"), "allergies", problems)
            for allergy in values[group]:
                allergy["severity"] = allergy.get("severity") or "unknown"
        elif group == "diagnoses":
            values[group] = _lines(text(group), ("code", "description"), "diagnoses", problems)
    return values, problems


def _address(text: Any, problems: dict[str, str]) -> dict[str, Any] | None:
    parts = {key: text(f"address_{key}") for key in ("line1", "line2", "city", "region", "postal_code")}
    latitude, longitude = text("address_latitude").strip(), text("address_longitude").strip()
    if not any(v.strip() for v in parts.values()) and not latitude and not longitude:
        return None
    address: dict[str, Any] = {**parts, "country": text("address_country").strip().upper() or "US"}
    for key, raw in (("latitude", latitude), ("longitude", longitude)):
        if not raw:
            address[key] = None
            continue
        try:
            address[key] = float(raw)
        except ValueError:
            problems[f"address_{key}"] = gettext("enter a number (decimal degrees), or leave it empty")
            address[key] = None
    return address


def _lines(text: str, keys: tuple[str, ...], name: str, problems: dict[str, str]) -> list[dict[str, str]]:
    items = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > len(keys):
            problems[name] = gettext(
                "line %(line)s: at most %(parts)s parts separated by |", line=number, parts=len(keys)
            )
            continue
        items.append(dict(zip(keys, parts, strict=False)))
    return items


# -- the allergies as rows (substance, reaction, severity), folded into the group's text ------------------

ALLERGY_ROW = ("substance", "reaction", "severity")
BLANK_ALLERGY_ROWS = 2  # empty rows under the patient's allergies; "More rows" adds as many again


def allergy_rows(text: str, blank: int = BLANK_ALLERGY_ROWS) -> list[dict[str, str]]:
    """The allergy rows the form shows for the group's text, and ``blank`` empty rows to add one."""
    rows = []
    for line in normal(text).split("\n"):
        if line.strip():
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            rows.append(dict(zip(ALLERGY_ROW, [*parts[:2], parts[2] or "unknown"], strict=True)))
    return rows + [{"substance": "", "reaction": "", "severity": "unknown"} for _ in range(blank)]


def fold_allergy_rows(values: dict[str, str]) -> str | None:
    """Turn the posted allergy rows (``allergy_<part>_<n>``, ``allergy_remove_<n>``) into the group's text
    ("substance | reaction | severity" lines), skipping empty and removed rows; a form without rows (an
    older page, a script) keeps its text. Returns a problem when a part holds the separator."""
    if "allergy_substance_0" not in values:
        return None
    lines, problem = [], None
    for n in range(MAX_FIELDS):
        if f"allergy_substance_{n}" not in values:
            break
        parts = [values.get(f"allergy_{part}_{n}", "").strip() for part in ALLERGY_ROW]
        parts[2] = parts[2] or "unknown"
        if values.get(f"allergy_remove_{n}") or not (parts[0] or parts[1]):
            continue
        if any("|" in part for part in parts):
            problem = gettext("row %(row)s: an allergy cannot contain the character |", row=n + 1)
        lines.append(SEPARATOR.join(parts))
    values["allergies"] = "\n".join(lines)
    return problem


def input_of(problem_path: str) -> str:
    """The form input a domain problem ("address.city", "allergies.0.severity") belongs to."""
    head, _, rest = problem_path.partition(".")
    if head == "address" and rest:
        name = "address_" + rest.split(".")[0]
        return name if name in INPUTS else "address_line1"
    if head == "emergency_contact" and rest:
        name = "ec_" + rest.split(".")[0]
        return name if name in INPUTS else "ec_name"
    if head in GROUPS:
        return GROUPS[head][0]
    return "*"


PATTERN_HINTS = {
    "phone": N_("use digits, spaces and + ( ) - . only"),
    "postal_code": N_("use letters, digits, spaces and dashes only"),
    "mrn": N_("use letters, digits and dashes only"),
    "country": N_("two capital letters, such as US"),
    "code": N_("an ICD-10 code such as I50.9"),
}


def problem_text(problem_path: str, message: str) -> str:
    """A domain problem in words for the person at the form (not the model's regular expressions)."""
    last = problem_path.split(".")[-1]
    if message.startswith("String should match pattern"):
        message = gettext(PATTERN_HINTS.get(last, N_("contains characters that are not allowed here")))
    elif message.startswith("String should have at least 1 character") or message == "Field required":
        message = gettext("enter a value")
    else:
        message = say(message)
    head, _, rest = problem_path.partition(".")
    if head in ("allergies", "diagnoses") and rest:
        index, _, sub = rest.partition(".")
        if index.isdigit():
            where = gettext("line %(line)s", line=int(index) + 1) + (f" ({gettext(sub)})" if sub else "")
            return f"{where}: {message}"
    return message
