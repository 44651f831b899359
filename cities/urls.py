from django.urls import path

from cities import views

app_name = "cities"

urlpatterns = [
    path("<slug:slug>/", views.CityDetailView.as_view(), name="detail"),
]
