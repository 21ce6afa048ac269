"""Alembic migrations (applied by ``desk_app.store.migrate``)."""
