"""The council-facing web server on :8000: the demo page with the chat, and /officer/."""
