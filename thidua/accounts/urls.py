from django.urls import path

from thidua.accounts import views, views_admin

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("", views_admin.user_list, name="user_list"),
    path("them/", views_admin.user_create, name="user_create"),
    path("<int:pk>/", views_admin.user_detail, name="user_detail"),
    path("<int:pk>/sua/", views_admin.user_edit, name="user_edit"),
    path("<int:pk>/cap-quyen/", views_admin.role_grant, name="role_grant"),
    path("<int:pk>/thu-hoi/<int:assignment_pk>/", views_admin.role_revoke, name="role_revoke"),
    path("<int:pk>/trang-thai/", views_admin.user_set_active, name="user_set_active"),
]
