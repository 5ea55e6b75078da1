from django.contrib import admin
from django.urls import include, path

from thidua.api.urls import api
from thidua.common import views as common_views

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("", include("thidua.common.urls")),
    path("tai-khoan/", include("thidua.accounts.urls")),
    path("to-chuc/", include("thidua.organizations.urls")),
    path("nhap-excel/", include("thidua.organizations.import_urls")),
    path("minh-chung/nhap-excel/", include("thidua.records.import_urls")),
    path("minh-chung/", include("thidua.records.urls")),
    path("quy-dinh/", include("thidua.rules.urls")),
    path("phong-trao/", include("thidua.movements.urls")),
    path("ho-so/", include("thidua.nominations.urls")),
    path("hoi-dong/", include("thidua.council.urls")),
    path("quyet-dinh/", include("thidua.decisions.urls")),
    path("", include("thidua.decisions.urls_public")),
    path("thong-ke/", include("thidua.reports.urls")),
    path("dien-hinh/", include("thidua.exemplars.urls_exemplars")),
    path("hoi-nghi/", include("thidua.exemplars.urls_conferences")),
    path("", include("thidua.exemplars.urls_public")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("quan-tri-he-thong/", admin.site.urls),
]
