"""The families' web chat: the demo page, the widget, and the chat API."""
