from tests.service_fixtures import (  # noqa: F401
    database,
    postgres_unavailable,
    runner,
    service,
)
