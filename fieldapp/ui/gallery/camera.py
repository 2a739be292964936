"""Taking a photo with the tablet's camera (QtMultimedia, from PySide6-Addons): a live preview, "Take
photo", an optional caption. The capture session shows frames from the default camera, or from any frame
source handed in (``QVideoFrameInput``: the tests feed generated frames, as a recorded file would), and the
photo is the frame on screen when the button was tapped, kept as a JPEG.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QImageWriter, QPixmap
from PySide6.QtMultimedia import (
    QCamera,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoFrameInput,
    QVideoSink,
)
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from fieldapp.ui.common import TOUCH, add_dialog_buttons, named, titled
from fieldapp.ui.visit.parts import named_label

PREVIEW = (640, 480)
JPEG_QUALITY = 90


def jpeg_of(image: QImage, quality: int = JPEG_QUALITY) -> bytes:
    """The image as JPEG bytes."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"jpeg"))
    writer.setQuality(quality)
    writer.write(image)
    buffer.close()
    return bytes(data.data())


class CameraDialog(QDialog):
    """Preview and take one photo; ``photo_taken(jpeg, caption)`` when taken."""

    photo_taken = Signal(bytes, str)

    def __init__(self, source: QVideoFrameInput | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        titled(self, "cameraDialog", self.tr("Take a photo"))
        self.frame: QVideoFrame | None = None
        layout = QVBoxLayout(self)
        self.preview = named(QLabel(), "cameraPreview", self.tr("Camera preview"))
        self.preview.setMinimumSize(*PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.preview, stretch=1)
        self.message = named_label(role="muted", name="cameraMessage")
        layout.addWidget(self.message)
        self.caption = QLineEdit()
        self.caption.setAccessibleName(self.tr("Caption"))
        self.caption.setPlaceholderText(self.tr("Caption (optional), e.g. left heel wound, 2 x 3 cm"))
        self.caption.setMaxLength(200)
        self.caption.setMinimumHeight(TOUCH)
        layout.addWidget(self.caption)
        self.take_button = add_dialog_buttons(
            layout, self, (self.tr("Take photo"), self.tr("Take the photo")), self.tr("Cancel"), self.take
        )
        self.session = QMediaCaptureSession(self)
        self.sink = QVideoSink(self)
        self.session.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(self._frame_arrived)
        self.camera: QCamera | None = None
        self._connect_source(source)
        self.take_button.setEnabled(False)

    def _connect_source(self, source: QVideoFrameInput | None) -> None:
        if source is not None:
            self.session.setVideoFrameInput(source)
            self.message.setText(self.tr("Waiting for the picture…"))
            return
        devices = QMediaDevices.videoInputs()
        if not devices:
            self.message.setText(self.tr("This tablet has no camera; add a photo from a file instead."))
            return
        self.camera = QCamera(devices[0], self)
        self.session.setCamera(self.camera)
        self.camera.errorOccurred.connect(
            lambda _error, text: self.message.setText(
                self.tr("The camera failed: {reason}").format(reason=text)
            )
        )
        self.camera.start()
        self.message.setText(self.tr("Hold the tablet still, then tap Take photo."))

    def _frame_arrived(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return
        self.frame = frame
        image = frame.toImage()
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(*PREVIEW, Qt.AspectRatioMode.KeepAspectRatio))
        self.take_button.setEnabled(True)
        if self.camera is None:
            self.message.setText(self.tr("Tap Take photo."))

    def take(self) -> bytes | None:
        """Keep the frame on screen as the photo (JPEG); None when no picture has arrived yet."""
        if self.frame is None:
            self.message.setText(self.tr("No picture yet: wait for the preview, then tap Take photo."))
            return None
        image = self.frame.toImage()
        if image.isNull():
            self.message.setText(self.tr("The picture could not be read; try again."))
            return None
        photo = jpeg_of(image)
        if self.camera is not None:
            self.camera.stop()
        self.photo_taken.emit(photo, self.caption.text().strip())
        self.accept()
        return photo
