"""The production profile: PostgreSQL, Redis, several Rasa replicas behind nginx."""
