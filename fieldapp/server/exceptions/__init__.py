"""Visit verification in the office: the exception queue, deciding exceptions (one or a selection), and
each visit's verification state (``queries``); the JSON API over them (``router``, ``schemas``)."""
