"""`compoundwatch worker`: a crawl worker on the shared Redis queue (any number,
on any machine); `compoundwatch run --role coordinator` feeds it."""

from __future__ import annotations

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import CliFailure, CliUsageError, handles_errors, require_extra

# What the cluster extra installs (pyproject.toml [project.optional-dependencies]).
CLUSTER_MODULES = ("redis", "scrapy_redis")


@click.command()
@click.option("--id", "worker_id", default=None, metavar="NAME",
              help="This worker's name in Redis (default: host, pid and a random part).")
@pass_app
@handles_errors
def worker(app: AppContext, worker_id: str | None) -> None:
    """Fetch, extract and store requests from the shared Redis queue.

    Needs `cluster.redis_url` and a PostgreSQL store. Stops gracefully on
    SIGTERM or SIGINT: requests it still holds go back to the queue.
    """
    require_extra("worker", "cluster", CLUSTER_MODULES)
    from redis.exceptions import RedisError

    from crawler.fetching import import_tls_shims_first

    import_tls_shims_first()
    from crawler.cluster.worker import ClusterSetupError, check_cluster_config, run_worker

    try:
        check_cluster_config(app.config)
    except ClusterSetupError as exc:
        raise CliUsageError(str(exc)) from None
    try:
        run_worker(app.config, worker_id)
    except RedisError as exc:
        raise CliFailure(f"cannot reach Redis at cluster.redis_url ({exc}); start it or "
                         "fix the URL") from None
