"""Regenerate models/migrations/versions/0001_initial_schema.py from the current models.

Only while nothing is released: the first schema is still allowed to change. After the first
release, add a new migration instead (alembic revision --autogenerate).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from models.db import Database
from models.migrate import MIGRATIONS, alembic_config

PG_CONSTRAINT = '''    # Overlapping active bookings are impossible at the database level on PostgreSQL: the blocked
    # interval (session plus buffers) of pending/confirmed bookings may not overlap.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist "
            "(tstzrange(block_start, block_end, '[)') WITH &&) "
            "WHERE (status IN ('pending', 'confirmed'))"
        )
'''


def main() -> None:
    target = MIGRATIONS / "versions" / "0001_initial_schema.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/gen.db")
        cfg = alembic_config(db)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    text = target.read_text()
    marker = "    # ### end Alembic commands ###"
    cut = text.index(marker, text.index("def upgrade"))
    text = text[:cut] + PG_CONSTRAINT + text[cut:]
    text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
    target.write_text(text.replace('"""initial schema\n', '"""initial schema: every table of the first release, '
                                                             'plus the PostgreSQL overlap constraint\n', 1))
    print(f"rewrote {target}")


if __name__ == "__main__":
    main()
