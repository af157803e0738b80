from django.urls import path

from brobygget.goals import views, views_dashboard, views_followup, views_indicators

app_name = "goals"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:goal_id>/", views.goal_detail, name="detail"),
    path("<int:goal_id>/andra/", views.goal_edit, name="edit"),
    path("<int:goal_id>/kopiera-ner/", views.goal_copy_down, name="copy_down"),
    path("enheter/<int:unit_id>/nytt/", views.goal_new, name="new"),
    path("perioder/ny/", views.period_new, name="period_new"),
    path("<int:goal_id>/folj-upp/", views_followup.follow_up, name="follow_up"),
    path("uppfoljningar/<int:follow_up_id>/", views_followup.follow_up_detail, name="follow_up_detail"),
    path("enheter/<int:unit_id>/oversikt/", views_dashboard.unit_dashboard, name="dashboard"),
    path("enheter/<int:unit_id>/rapport/", views_dashboard.unit_report, name="report"),
    path("enheter/<int:unit_id>/rapport.pdf", views_dashboard.unit_report_pdf, name="report_pdf"),
    path("enheter/<int:unit_id>/indikatorer.csv", views_dashboard.unit_indicators_csv, name="indicators_csv"),
    path("enheter/<int:unit_id>/indikatorer.xlsx", views_dashboard.unit_indicators_xlsx, name="indicators_xlsx"),
    # Indicators, their values, the import of a file, Kolada (views_indicators)
    path("<int:goal_id>/indikatorer/ny/", views_indicators.indicator_new, name="indicator_new"),
    path("<int:goal_id>/importera/", views_indicators.import_new, name="import"),
    path("<int:goal_id>/kolada/", views_indicators.kolada_search, name="kolada_search"),
    path("<int:goal_id>/kolada/koppla/", views_indicators.kolada_connect_view, name="kolada_connect"),
    path("indikatorer/<int:indicator_id>/", views_indicators.indicator_detail, name="indicator"),
    path("indikatorer/<int:indicator_id>/andra/", views_indicators.indicator_edit, name="indicator_edit"),
    path("indikatorer/<int:indicator_id>/nytt-varde/", views_indicators.measurement_new, name="measurement_new"),
    path("indikatorer/<int:indicator_id>/malvarde/", views_indicators.target_edit, name="indicator_target"),
    path(
        "indikatorer/<int:indicator_id>/kolada-titel/",
        views_indicators.kolada_title_confirm_view,
        name="kolada_title_confirm",
    ),
    path("importer/<int:import_id>/", views_indicators.import_progress, name="import_progress"),
]
