"""How push messages travel: kept-open HTTP/2 or HTTP/1.1 connections per push service (``pool``),
or straight into an ASGI app in tests (``inprocess``); both behind :class:`base.Poster`."""
