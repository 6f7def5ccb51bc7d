"""gunicorn's settings: the production server of `make serve` and of the container image.

Where it listens and how many worker processes it starts come from the environment, which
gunicorn reads (not `.env`, which only the app reads):

    GUNICORN_BIND    host:port to listen on (default 127.0.0.1:8000; the image sets 0.0.0.0:8000)
    WEB_CONCURRENCY  worker processes (default: 2 per CPU the process may use, plus 1)
    GUNICORN_THREADS threads per worker, each serving one request at a time (default 32)
    PROMETHEUS_MULTIPROC_DIR  where the workers write their metrics (default: a directory of
                     this server's own under /dev/shm, else the temporary directory)

The rest is fixed here because the project depends on it; see docs/adr/0005. The app itself
comes on the command line, as gunicorn's own examples give it: `gunicorn --config
gunicorn.conf.py APP` (the Makefile's `serve` and the image's `CMD`).
"""

import glob
import os
import shutil
import socket
import tempfile
from typing import Any

from gunicorn.util import parse_address

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_THREADS = 32


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's cpuset), else all of the machine's."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers() -> int:
    """gunicorn's own advice: (2 x CPUs) + 1 synchronous workers."""
    return 2 * usable_cpus() + 1


bind = [os.environ.get("GUNICORN_BIND") or DEFAULT_BIND]
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())

# Threaded workers (docs/adr/0014): a client that sends its request slowly holds one thread
# of a worker, not the whole worker, and a kept-alive connection waits in the worker's poller,
# holding no thread. So up to `threads` slow clients per worker cannot stop the others from
# being answered. A PostgreSQL connection is held per busy thread: see the ADR for the sums.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or DEFAULT_THREADS)

# Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
# connections over them (docs/adr/0020). On one shared socket the worker that happens to be
# awake accepts, and a kept-alive connection stays with the worker that accepted it: the few
# connections of a load balancer or a benchmark all went to one worker while the others
# idled, and the server answered a third of the requests it could.
reuse_port = True

# Load the app once, in the master, before it forks the workers: an app that cannot start
# stops gunicorn at once, and the app's logging configuration (core/logs.py) is in place
# before gunicorn logs its first line.
preload_app = True

# gunicorn's loggers keep no handler of their own and hand every record to the root logger,
# which the app configures: JSON lines unless DEBUG, like every other line of the process.
# Until the app has loaded, the root logger has no handler either, so the few records of that
# moment are not written in another format (warnings and errors still reach standard error).
# Enabling `logconfig_dict` also turns on the access log, one line per request.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
    },
}
# The time is a field of the JSON line already: the message holds the rest of the request.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Workers report that they are alive through a file; /dev/shm keeps it in memory, where a
# container's disk cannot stall it (gunicorn's documentation on Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# No control socket (`gunicornc`): its default path is one per user, which every gunicorn on
# the machine would share, and the image's user has no home directory to put it in.
control_socket_disable = True

# Metrics (docs/adr/0015): each worker writes its counts to files in PROMETHEUS_MULTIPROC_DIR
# and /metrics adds up those of every worker. prometheus-client reads the variable when it is
# first imported, so it is set through `raw_env`, which gunicorn applies before it loads the
# app. The default directory is this server's own (its master's pid), so that two servers on
# one machine never mix or empty each other's counts; /dev/shm or /tmp are writable even with
# a read-only root file system (deploy/k8s mounts an emptyDir on each).
METRICS_BASE_DIR = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()  # noqa: S108
own_metrics_dir = os.path.join(METRICS_BASE_DIR, f"gunicorn-metrics-{os.getpid()}")
metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or own_metrics_dir
raw_env = [f"PROMETHEUS_MULTIPROC_DIR={metrics_dir}"]


def on_starting(server: Any) -> None:
    """Refuse an address another process listens on; start with no metrics counts (the files
    of an earlier run, a restarted container's, would add up)."""
    for address in server.cfg.bind:  # the addresses as given, on the command line too
        refuse_if_in_use(address)
    os.makedirs(metrics_dir, exist_ok=True)
    for path in glob.glob(os.path.join(metrics_dir, "*.db")):
        os.remove(path)


def refuse_if_in_use(address: str) -> None:
    """Stop gunicorn with one clear line when host:port is taken. With `reuse_port` the master
    binds nothing and each worker binds for itself: a taken port would make every worker fail
    and be started again, for ever, and another server of the same user that also sets
    SO_REUSEPORT would silently share the port instead."""
    parsed = parse_address(address)
    if not isinstance(parsed, tuple):
        return  # a Unix socket or an inherited descriptor: nothing to share
    host, port = parsed
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR, as gunicorn sets it: only a listening socket makes the bind fail,
        # not the closing connections of a server that just stopped.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            # gunicorn prints a RuntimeError raised here as one line and exits with status 1.
            raise RuntimeError(f"cannot listen at {address}: {error.strerror}") from error


def post_fork(server: Any, worker: Any) -> None:
    """Say where each worker listens: with `reuse_port` the master's own "Listening at" line
    has no address, since the workers open the sockets."""
    addresses = ",".join(str(listener) for listener in worker.sockets)
    server.log.info("Listening at: %s (worker %s)", addresses, worker.pid)


def child_exit(server: Any, worker: Any) -> None:
    """A worker is gone: prometheus-client drops its live values (its counts stay counted)."""
    # Imported here: imported at the top of this file, prometheus-client would choose its
    # single-process mode before `raw_env` sets the directory.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, metrics_dir)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    """Leave no directory of this server's behind in /dev/shm, which only a reboot empties."""
    if metrics_dir == own_metrics_dir:
        shutil.rmtree(metrics_dir, ignore_errors=True)
