"""Clusters and blocs (cụm, khối thi đua), under /phong-trao/cum-khoi/."""

from django.urls import path

from thidua.movements import views_clusters

urlpatterns = [
    path("cum-khoi/", views_clusters.cluster_list, name="cluster_list"),
    path("cum-khoi/them/", views_clusters.cluster_create, name="cluster_create"),
    path("cum-khoi/<int:pk>/", views_clusters.cluster_detail, name="cluster_detail"),
    path("cum-khoi/<int:pk>/sua/", views_clusters.cluster_edit, name="cluster_edit"),
    path("cum-khoi/<int:pk>/giao-uoc/", views_clusters.cluster_covenant, name="cluster_covenant"),
    path(
        "cum-khoi/<int:pk>/giao-uoc/tep/", views_clusters.cluster_covenant_file, name="cluster_covenant_file"
    ),
    path("cum-khoi/<int:pk>/ky-giao-uoc/<int:member_pk>/", views_clusters.cluster_sign, name="cluster_sign"),
    path("cum-khoi/<int:pk>/cham-diem/", views_clusters.cluster_scores, name="cluster_scores"),
    path(
        "cum-khoi/<int:pk>/xep-hang.xlsx",
        views_clusters.cluster_ranking_export,
        name="cluster_ranking_export",
    ),
    path("cum-khoi/<int:pk>/luan-phien/", views_clusters.cluster_rotate, name="cluster_rotate"),
]
