"""Photos and documents of a patient and their visits: the gallery (thumbnails, made once and cached),
the viewer, and the file picker; the camera (QtMultimedia) where the build has it."""

from fieldapp.ui.gallery.panel import GalleryPanel, read_attachable
from fieldapp.ui.gallery.viewer import AttachmentViewer

__all__ = ["AttachmentViewer", "GalleryPanel", "read_attachable"]
