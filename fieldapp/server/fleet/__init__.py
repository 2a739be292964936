"""The fleet of devices: their status, retiring a device or an account (``devices``), the office's fleet
view (``queries``) and the ``/admin/devices``, ``/admin/users`` and ``/devices/me`` routes (``router``)."""
