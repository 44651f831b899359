from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("", views.NetworkListView.as_view(), name="index"),
    path("<slug:slug>/", views.NetworkDetailView.as_view(), name="detail"),
]
