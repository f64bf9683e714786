"""Rate limits of the API: anonymous clients by address, users by account (one counter each,
:class:`ApiThrottle`)."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from nato_tracker.data_version import read_deferred_version


class SettingsRateMixin:
    """Read the rate from ``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']`` at request time, and
    count requests with one cache increment each.

    DRF's throttles keep a list of the time of every request in the period and read and write
    it whole on each request: the cost grows with the rate allowed (a client allowed thousands a
    minute costs a long list per request). Here a *window* opens with a client's first request
    and lasts the rate's period; each request increments the window's counter; over the rate's
    number of requests the answer is 429 with ``Retry-After`` the time left in the window. (A
    client can thus make up to twice the number across the end of one window and the start of
    the next, never more.)
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        count = self.count(request)
        if count is None:  # the cache is out of reach: served
            return True
        if count == 1:
            # This request opened the window (also when the counter expired between the
            # backend's existence check and its increment, which recreates it without expiry):
            # the window lasts the rate's period from now.
            self.cache.set(f"{self.key}:start", self.now, self.duration)
        return count <= self.num_requests

    def count(self, request) -> int | None:
        """This request's number in its client's window (None: the cache is out of reach)."""
        count_in_window = getattr(self.cache, "count_in_window", None)
        if count_in_window is not None:  # Redis: one round trip (nato_tracker.redis_cache)
            return count_in_window(self.key, self.duration)
        try:
            count = self.cache.incr(self.key)
        except ValueError:  # no open window: open one
            self.cache.add(self.key, 0, self.duration)
            try:
                count = self.cache.incr(self.key)
            except ValueError:  # pragma: no cover - expired in between (sub-second period)
                return None
        if count == 1:  # the counter has the window's period from now
            self.cache.touch(self.key, self.duration)
        return count

    def wait(self):
        start = self.cache.get(f"{self.key}:start")
        if start is None:
            return self.duration
        return max(0.0, start + self.duration - self.now)


class AnonThrottle(SettingsRateMixin, AnonRateThrottle):
    """Anonymous clients, by IP address (rate ``anon``): the counter :class:`ApiThrottle` counts
    an anonymous client in, for answers given without the view
    (``nato_tracker.middleware.throttled_response``)."""


class ApiThrottle(SettingsRateMixin, SimpleRateThrottle):
    """THE rate limit of every API view: an anonymous client by IP address at the ``anon``
    rate (counter ``throttle_anon_<address>``, as :class:`AnonThrottle`), a user by account at
    the ``user`` rate (``throttle_user_<id>``). One counter, so one cache round trip, per
    request; DRF's pair of ``AnonRateThrottle`` and ``UserRateThrottle`` counted an anonymous
    client twice (the user throttle keys anonymous clients by address too), two round trips
    for a limit the lower ``anon`` rate already set."""

    def __init__(self):
        """The rate is the request's (:meth:`allow_request`), not the class's."""
        self.rate = self.num_requests = self.duration = None

    def allow_request(self, request, view):
        user = getattr(request, "user", None)
        self.scope = "user" if user is not None and user.is_authenticated else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        read_deferred_version(request)  # not counted (no rate): read before the view all the same
        return allowed

    def count(self, request) -> int | None:
        """An anonymous read's data version, when deferred to here
        (``nato_tracker.data_version.defer_request_version``), is read in the same round trip."""
        count = read_deferred_version(request, self.key, self.duration)
        return count if count is not None else super().count(request)

    def get_cache_key(self, request, view):
        ident = request.user.pk if self.scope == "user" else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
