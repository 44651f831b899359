from django.urls import path

from solutions import views

app_name = "solutions"

urlpatterns = [
    path("", views.home, name="home"),
    path("solutions/", views.SolutionListView.as_view(), name="list"),
    path("solutions/<slug:slug>/", views.SolutionDetailView.as_view(), name="detail"),
    path("themes/", views.ThemeListView.as_view(), name="themes"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme"),
    path("transfers/", views.TransferListView.as_view(), name="transfers"),
]
