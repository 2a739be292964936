"""Care documentation in the back office (issue 19): each patient's plan-of-care tasks and medications,
the outcomes of a visit's tasks, the per-patient task history, and the photos and documents attached to a
patient or a visit (served to the office pages after their check; each view is in the access log)."""
