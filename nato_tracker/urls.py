"""URL configuration: pages, the REST API and its docs, the admin."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

from nato_tracker import views_health

#: Crawlers may read the public pages; the editor, accounts, admin and the API's answers are not
#: pages to index.
ROBOTS_TXT = """User-agent: *
Disallow: /editor/
Disallow: /accounts/
Disallow: /admin/
Disallow: /api/v1/
Disallow: /charts/
"""


@require_safe
def robots_txt(request):
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", views_health.healthz, name="healthz"),
    path("livez", views_health.livez, name="livez"),
    # The API before the pages (no page's path begins with api/): an API request is resolved
    # without first trying every page's pattern; a page pays one failed prefix check.
    path("api/", include("nato_tracker.api.urls")),
    path("", include("pages.urls")),
    path("", include("articles.urls")),
    path("feeds/", include("articles.feed_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("editor/", include("articles.editor_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "nato_tracker.views.bad_request"
handler403 = "nato_tracker.views.permission_denied"
handler404 = "nato_tracker.views.page_not_found"
handler500 = "nato_tracker.views.server_error"
