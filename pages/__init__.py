"""The public pages about the official figures, a layer above both apps.

``spending`` knows the official data (allies, targets, editions, figures and the rules on them)
and ``articles`` the press's statements and claims; neither imports this package. A page that
shows both (the dashboard's latest statements, an ally's page with what was said about it) is
composed here: :mod:`pages.page_data` asks :mod:`spending.selectors` and
:mod:`articles.selectors` (with :mod:`pages.params` reading the query, :mod:`pages.editions`
and :mod:`pages.targets`), :mod:`pages.views` renders, :mod:`pages.charts` draws and
:mod:`pages.exports` writes a chart's CSV. See docs/architecture.md.
"""
