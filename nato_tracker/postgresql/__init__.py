"""Django's PostgreSQL backend with a bound on every wait for the server (see ``base``), and
small bulk inserts sent as ``VALUES`` rows (see ``compiler``)."""
