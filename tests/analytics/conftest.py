import pytest

from tests.analytics.factories import hand_built


@pytest.fixture
def world(regions):
    return hand_built(regions)


@pytest.fixture
def computed(world):
    """The hand-built world with its 2025 indicators computed by the full recompute."""
    from analytics.compute import refresh

    refresh.full(world.regions["province"], 2025)
    return world
