"""The public results pages ("Du sa – vi gjorde", promises, goals, figures, downloads) and the staff's publishing."""

from django.urls import path

from brobygget.openresults import dcat, views, views_goals, views_numbers, views_staff

app_name = "openresults"

urlpatterns: list = [
    path("du-sa-vi-gjorde/", views.you_said_we_did, name="you_said_we_did"),
    path("du-sa-vi-gjorde/<int:publication_id>/", views.publication, name="publication"),
    path("du-sa-vi-gjorde/flode.atom", views.feed, name="feed"),
    path("du-sa-vi-gjorde.<slug:fmt>", views.download, name="you_said_we_did_download"),
    path("publicera/", views_staff.publish_index, name="publish_index"),
    path("publicera/<int:improvement_id>/", views_staff.publish, name="publish"),
    path("publicera/tillbaka/<int:publication_id>/", views_staff.withdraw, name="withdraw"),
    path("vara-mal/", views_goals.our_goals, name="our_goals"),
    path("vara-mal/<int:publication_id>/", views_goals.our_goal, name="our_goal"),
    path("vara-mal.<slug:fmt>", views_goals.our_goals_download, name="our_goals_download"),
    path("publicera/mal/<int:goal_id>/", views_goals.goal_publish, name="goal_publish"),
    path("publicera/mal/tillbaka/<int:publication_id>/", views_goals.goal_withdraw, name="goal_withdraw"),
    path("loften/", views_numbers.promises, name="promises"),
    path("siffror/", views_numbers.figures, name="figures"),
    path("<slug:page>/<slug:table>.csv", views_numbers.download, {"fmt": "csv"}, name="download_csv"),
    path("<slug:page>/<slug:table>.json", views_numbers.download, {"fmt": "json"}, name="download_json"),
    path("katalog.ttl", dcat.catalogue_turtle, name="catalogue_ttl"),
    path("katalog.rdf", dcat.catalogue_rdf_xml, name="catalogue_rdf"),
]
