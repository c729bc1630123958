"""The registrar's desk in a terminal: QR codes read from images and written to files."""
