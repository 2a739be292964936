"""The server's Alembic tree builds exactly the schema its models declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fieldapp.server.db import make_engine
from fieldapp.server.models import Base


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_upgrade_fills_the_feed_form_of_existing_records(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import uuid

    import sqlalchemy as sa

    from fieldapp.server import migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, "0002")
    record_id = uuid.uuid4()
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO records (id, entity, fields, stamps, bases, seq, updated_at) VALUES "
                "(:id, 'patient', :fields, :stamps, :bases, 1, '2026-11-26 09:00:00')"
            ),
            {
                "id": record_id.hex,
                "fields": json.dumps({"phone": "555-0142", "mrn": "M1"}),
                "stamps": json.dumps({"phone": "0000000000010000tab1", "mrn": "0000000000010000tab1"}),
                "bases": json.dumps({"phone": "0000000000000000tab1"}),
            },
        )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        wire = json.loads(connection.execute(sa.text("SELECT wire FROM records")).scalar_one())
    engine.dispose()
    assert wire == {
        "phone": {"v": "555-0142", "s": "0000000000010000tab1", "b": "0000000000000000tab1"},
        "mrn": {"v": "M1", "s": "0000000000010000tab1", "b": None},
    }
