"""Both backends migrate and load the demo studio."""
from sqlalchemy import func, select

from models import Booking


def test_demo_studio_loads_on_both_backends(any_db):
    with any_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 6
