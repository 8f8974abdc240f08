"""Run the HTTP service in one process or several, on uvicorn's fastest loop and parser.

uvicorn picks uvloop and httptools when they are installed (they are
dependencies); they roughly double what one process answers. More than one
worker process needs the app to be importable by name, so the parent puts its
`ServerOptions` in the environment and each worker rebuilds the same app from
there. Workers share the listening socket; the service is stateless (no MCP
sessions, the catalog read from git by each worker) and each worker appends
its usage to the shared segment store, so any worker can answer any request.
"""

from __future__ import annotations

import base64
import os
import pickle

from starlette.applications import Starlette

from .options import ServerOptions

OPTIONS_ENV = "RELAY_SERVE_OPTIONS"


def serve_http(options: ServerOptions) -> None:
    """Serve until interrupted; `options.check()` has passed."""
    import uvicorn

    # Access lines are INFO, below the warning level, so none was ever printed: without the
    # access logger uvicorn skips building each line's arguments too.
    common = {"host": options.host, "port": options.port, "log_level": "warning", "access_log": False,
              "timeout_graceful_shutdown": 5, "loop": "auto", "http": "auto"}
    if options.workers == 1:
        from .app import create_app

        uvicorn.run(create_app(options), **common)  # type: ignore[arg-type]
        return
    # The options are handed to our own child processes only, so pickle round-trips them exactly.
    os.environ[OPTIONS_ENV] = base64.b64encode(pickle.dumps(options)).decode("ascii")
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=options.workers,
                **common)  # type: ignore[arg-type]


def worker_app() -> Starlette:
    """The app of one worker process, from the options its parent left in the environment."""
    from .app import create_app

    options = pickle.loads(base64.b64decode(os.environ[OPTIONS_ENV]))  # noqa: S301 - from our parent
    if not isinstance(options, ServerOptions):
        raise TypeError(f"{OPTIONS_ENV} does not hold ServerOptions")
    return create_app(options)
