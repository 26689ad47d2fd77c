"""Custom actions of the privacy-notice assistant (run by `rasa run actions`)."""
