from django.urls import path

from solutions import exports, feeds, views

app_name = "solutions"

urlpatterns = [
    path("", views.home, name="home"),
    path("solutions/", views.solution_list, name="list"),
    path("solutions/export.<str:format>", exports.export, name="export"),
    path("solutions/feed/", feeds.NewSolutionsFeed(), name="feed"),
    path("solutions/<slug:slug>/", views.SolutionDetailView.as_view(), name="detail"),
    path("themes/", views.ThemeListView.as_view(), name="themes"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("themes/<slug:slug>/feed/", feeds.ThemeFeed(), name="theme-feed"),
    path("transfers/", views.transfer_list, name="transfers"),
]
