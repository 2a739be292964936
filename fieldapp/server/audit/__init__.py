"""Audit: the devices' uploaded audit logs and the API access log (``trail``), the office's audit
queries (``queries``), and the routes: the devices' upload (``router``) and the office's reading
(``router.office_router``)."""
