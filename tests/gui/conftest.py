"""GUI tests (pytest-qt, offscreen): the real server fixtures of the integration tests are shared here."""

# A signed-in tablet its user can unlock offline, and its workspace (modules with their own override them).
from tests.gui.lock_helpers import tablet, workspace  # noqa: F401
from tests.gui.shell_helpers import styled_app  # noqa: F401 - the app's own font and stylesheet
from tests.integration.conftest import live_server, memory_keyring, new_device  # noqa: F401
