"""People and the agency: workers' names, credentials and phones, the agency's card (``queries``), and
``/account`` for the tablets and ``/admin/users/{id}/card``, ``/admin/agency`` for the office (``router``)."""
