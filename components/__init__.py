"""Custom Rasa graph components of the privacy-notice assistant."""
