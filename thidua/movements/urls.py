"""All movement pages share the "movements" namespace; each part of the app keeps its own list."""

from thidua.movements import urls_clusters, urls_movements, urls_participation

app_name = "movements"

urlpatterns = [*urls_movements.urlpatterns, *urls_participation.urlpatterns, *urls_clusters.urlpatterns]
