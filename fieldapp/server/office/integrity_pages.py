"""The office's integrity pages: the integrity log, and the files the pages show (signature images, report
PDFs), served only after their bytes are checked; an altered file is withheld, with a placeholder
instead, and written to the integrity log (decision 0016)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from fieldapp.server.audit import queries as audit_views
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.office.i18n import gettext
from fieldapp.server.office.web import FILE_CSP, PREFIX, OfficeRoute, error_page, office_user, render
from fieldapp.server.visits import queries as visit_views
from fieldapp.server.web.deps import database_of, now_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
Who = Annotated[Principal, Depends(office_user)]

# Shown instead of an altered signature image: an image, so the visit page's layout holds.
WITHHELD_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160">
<rect x="1" y="1" width="478" height="158" rx="6" fill="#fdecea" stroke="#b3261e" stroke-width="2"/>
<text x="240" y="70" text-anchor="middle" font-family="sans-serif" font-size="20" font-weight="bold"
 fill="#b3261e">Signature image withheld</text>
<text x="240" y="102" text-anchor="middle" font-family="sans-serif" font-size="15" fill="#5c1611">The stored
 image does not match its hash: see the Integrity page.</text>
</svg>"""


@router.get("/integrity")
def integrity_page(request: Request, who: Who) -> Response:
    """Every integrity problem found, newest first."""
    with database_of(request).read() as session:
        rows = integrity_log.problem_rows(session, 500)
        names = audit_views.user_names(session, (r.user_id for r in rows if r.user_id))
    return render(
        request, "integrity.html", title=gettext("Integrity"), nav="integrity", rows=rows, names=names
    )


@router.get("/signatures/{signature_id}/image")
def signature_image(request: Request, who: Who, signature_id: uuid.UUID) -> Response:
    file = _checked(request, who, lambda session: visit_views.signature_image(session, signature_id))
    headers = {"Cache-Control": "private, no-store", "Content-Security-Policy": FILE_CSP}
    if isinstance(file, integrity.FileDamaged):
        return Response(WITHHELD_SVG, status_code=409, media_type="image/svg+xml", headers=headers)
    return Response(file.content, media_type=file.media_type, headers=headers)


@router.get("/reports/{report_id}/pdf")
def report_pdf(request: Request, who: Who, report_id: uuid.UUID) -> Response:
    file = _checked(request, who, lambda session: visit_views.report_pdf(session, report_id))
    if isinstance(file, integrity.FileDamaged):
        return error_page(
            request,
            409,
            gettext(
                "This report's PDF is withheld: %(problem)s. The altered file is not shown; "
                "the problem is on the Integrity page.",
                problem=file.finding.detail,
            ),
            gettext("PDF withheld"),
        )
    return Response(
        file.content,
        media_type="application/pdf",
        headers={
            "Cache-Control": "private, no-store",
            "Content-Disposition": f'inline; filename="day-report-{report_id}.pdf"',
            "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        },
    )


def _checked(
    request: Request, who: Principal, read: Callable[[Any], visit_views.StoredFile]
) -> visit_views.StoredFile | integrity.FileDamaged:
    """The stored file ``read`` returns once it has checked the bytes; for an altered file, what is wrong
    with it (written to the integrity log)."""
    try:
        with database_of(request).read() as session:
            return read(session)
    except integrity.FileDamaged as exc:
        integrity_log.report(database_of(request), [exc.finding], "office", who.user_id, now_of(request))
        return exc
