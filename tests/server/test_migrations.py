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


def test_upgrade_fills_the_search_text_of_existing_patients(database_url: str) -> None:
    import uuid
    from datetime import UTC, datetime

    import sqlalchemy as sa
    from alembic import command

    from fieldapp.server import migrate

    engine = make_engine(database_url)
    config = migrate.alembic_config()
    with engine.begin() as connection:  # the fixture's database is at head: back to before 0007
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    records = sa.table(
        "records",
        *(sa.column(name, kind) for name, kind in (("id", sa.Uuid()), ("entity", sa.String()))),
        *(sa.column(name, sa.JSON()) for name in ("fields", "stamps", "bases")),
        sa.column("seq", sa.BigInteger()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    with engine.begin() as connection:
        for entity, fields in (
            ("patient", {"family_name": "Núñez", "given_name": "O\u2019Connor", "mrn": "MRN-9"}),
            ("visit", {"status": "scheduled"}),
        ):
            connection.execute(
                records.insert().values(
                    id=uuid.uuid4(),
                    entity=entity,
                    fields=fields,
                    stamps={},
                    bases={},
                    seq=1,
                    updated_at=datetime(2026, 11, 26, 9, tzinfo=UTC),
                )
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        found = dict(connection.execute(sa.text("SELECT entity, search_text FROM records")).all())
    engine.dispose()
    assert found == {"patient": "nunez o'connor mrn-9", "visit": None}
