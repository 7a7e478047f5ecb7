from django.urls import path

from casework.views import cases, lead, records, requests

app_name = "casework"
urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("<int:case_id>/", cases.case_detail, name="case_detail"),
    path("<int:case_id>/identity/", cases.case_identity, name="case_identity"),
    path("dashboard/", lead.lead_dashboard, name="lead_dashboard"),
    path("requests/", lead.request_list, name="request_list"),
    path("requests/<int:request_id>/approve/", lead.request_approve, name="request_approve"),
    path("requests/<int:request_id>/return/", lead.request_return, name="request_return"),
    path("<int:case_id>/reassign/", lead.case_reassign, name="case_reassign"),
    path("<int:case_id>/request-closure/", requests.closure_request, name="closure_request"),
    path("<int:case_id>/request-transfer/", requests.transfer_request, name="transfer_request"),
    path("<int:case_id>/history/", cases.case_history, name="case_history"),
    path("open/<int:survivor_id>/", records.case_open, name="case_open"),
    path("<int:case_id>/record/<slug:kind>/", records.record_new, name="record_new"),
    path("<int:case_id>/care-plan/", records.care_plan_edit, name="care_plan_edit"),
    path("<int:case_id>/prosecutions/<int:prosecution_id>/", records.prosecution_edit, name="prosecution_edit"),
    path(
        "<int:case_id>/repatriations/<int:repatriation_id>/next-step/",
        records.repatriation_advance,
        name="repatriation_advance",
    ),
]
