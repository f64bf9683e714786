"""The API's plumbing, shared by every app's API (``spending.api``, ``articles.api``).

* :mod:`.params` — one value or several, ``?ordering=``;
* :mod:`.pagination` — ``?page=``/``?page_size=``;
* :mod:`.renderers` — CSV (columns from serializers, formula-safe cells, streaming) and the
  choice of format;
* :mod:`.parsers` — request bodies without NUL; :mod:`.throttles` — rate limits;
* :mod:`.serializers` — the error body, web-only URLs;
* :mod:`.viewsets` — :class:`~.viewsets.ApiViewMixin` and the read-only viewset every list uses;
* :mod:`.errors` — errors in JSON under ``/api/`` (the ``EXCEPTION_HANDLER``);
* :mod:`.schema` — the OpenAPI schema's truths (anonymous reads, declared errors);
* :mod:`.cache` — official answers kept until official data changes;
* :mod:`.tokens`, :mod:`.token_views` — expiring tokens;
* :mod:`.dataset_views` — metadata and bulk download; :mod:`.urls` — the routes.
"""
