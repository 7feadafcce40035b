"""The public site's sitemap: results of published cycles and every published
initiative at its readable address, on the portal's public address (SITE_URL)."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from submissions.models import Submission
from submissions.selectors.public import cycle_list_published
from submissions.workflow import PUBLISHABLE


class _OnSiteUrl(Sitemap):
    """Addresses on SITE_URL, whatever host the request came through."""

    def get_urls(self, page=1, site=None, protocol=None):
        public = urlsplit(settings.SITE_URL)
        return super().get_urls(
            page=page, site=SimpleNamespace(domain=public.netloc), protocol=public.scheme
        )


class ResultsSitemap(_OnSiteUrl):
    changefreq = "yearly"
    priority = 0.8

    def items(self):
        return cycle_list_published()

    def location(self, cycle):
        return reverse("public:results_cycle", args=[cycle.number])

    def lastmod(self, cycle):
        return cycle.results_published_at


class InitiativeSitemap(_OnSiteUrl):
    changefreq = "yearly"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            Submission.objects.filter(
                cycle__results_published_at__isnull=False, status__in=PUBLISHABLE
            )
            .exclude(slug="")
            .select_related("cycle")
            .only("pk", "slug", "cycle__number", "cycle__results_published_at")
            .order_by("-cycle__number", "pk")
        )

    def location(self, sub):
        return sub.get_public_url()

    def lastmod(self, sub):
        return sub.cycle.results_published_at


class PagesSitemap(_OnSiteUrl):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["home", "public:results_index", "public:database", "public:reports"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PagesSitemap, "results": ResultsSitemap, "initiatives": InitiativeSitemap}
