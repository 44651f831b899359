from django.urls import path

from solutions.views import citations, downloads, exports, feeds, maps, places, public, submissions

app_name = "solutions"

urlpatterns = [
    path("", public.home, name="home"),
    path("solutions/", public.solution_list, name="list"),
    path("solutions/export.<str:format>", exports.export, name="export"),
    path("open-data/", downloads.open_data_page, name="open-data"),
    path("solutions/feed/", feeds.NewSolutionsFeed(), name="feed"),
    path("solutions/<slug:slug>/", public.SolutionDetailView.as_view(), name="detail"),
    path("solutions/<slug:slug>/cite.<str:format>", citations.cite, name="cite"),
    path("themes/", public.ThemeListView.as_view(), name="themes"),
    path("themes/<slug:slug>/", public.theme_detail, name="theme"),
    path("themes/<slug:slug>/feed/", feeds.ThemeFeed(), name="theme-feed"),
    path("transfers/", public.transfer_list, name="transfers"),
    path("map/", maps.world_map, name="map"),
    path("cities/", places.city_index, name="cities"),
    path("cities/like-mine/", places.cities_like_mine, name="cities-like-mine"),
    path("coverage/", places.coverage_page, name="coverage"),
    path("submit/", submissions.submission_create, name="submit"),
    path("submit/<slug:slug>/", submissions.submission_edit, name="edit"),
    path(
        "submit/<slug:slug>/<str:name>/",
        submissions.submission_transition,
        name="submission-transition",
    ),
    path("my/submissions/", submissions.my_submissions, name="my-submissions"),
]
