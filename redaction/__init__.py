"""Personal data out of what is stored: redaction of what families type."""
