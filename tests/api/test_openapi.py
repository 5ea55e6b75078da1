import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ENDPOINTS = {
    "/api/v1/auth/token": {"post"},
    "/api/v1/units": {"get"},
    "/api/v1/units/{code}": {"get"},
    "/api/v1/people": {"get", "post"},
    "/api/v1/people/{person_id}": {"get", "patch"},
    "/api/v1/imports/people": {"post"},
    "/api/v1/eligibility": {"get"},
    "/api/v1/money": {"get"},
    "/api/v1/people/{person_id}/ratings": {"get", "post"},
    "/api/v1/units/{code}/ratings": {"get", "post"},
    "/api/v1/initiatives": {"post"},
    "/api/v1/disciplines": {"post"},
    "/api/v1/awards/history": {"get", "post"},
    "/api/v1/imports/ratings": {"post"},
    "/api/v1/imports/initiatives": {"post"},
    "/api/v1/imports/awards": {"post"},
    "/api/v1/imports/disciplines": {"post"},
    "/api/v1/movements": {"post"},
    "/api/v1/movements/{movement_id}": {"get"},
    "/api/v1/movements/{movement_id}/transitions": {"post"},
    "/api/v1/movements/{movement_id}/registrations": {"get", "post"},
    "/api/v1/rounds": {"post"},
    "/api/v1/nominations": {"post"},
    "/api/v1/nominations/{nomination_id}": {"get"},
    "/api/v1/nominations/{nomination_id}/attachments": {"post"},
    "/api/v1/nominations/{nomination_id}/transitions": {"post"},
    "/api/v1/nominations/{nomination_id}/nominees/{nominee_id}/decision": {"post"},
    "/api/v1/nominations/{nomination_id}/forward": {"post"},
    "/api/v1/council-sessions": {"post"},
    "/api/v1/council-sessions/{session_id}": {"get"},
    "/api/v1/council-sessions/{session_id}/open": {"post"},
    "/api/v1/council-sessions/{session_id}/ballots": {"post"},
    "/api/v1/council-sessions/{session_id}/close": {"post"},
    "/api/v1/decisions": {"post"},
    "/api/v1/decisions/{decision_id}": {"get"},
    "/api/v1/decisions/{decision_id}/transitions": {"post"},
    "/api/v1/decisions/{decision_id}/issue": {"post"},
    "/api/v1/decisions/{decision_id}/document.docx": {"get"},
    "/api/v1/decisions/{decision_id}/document.pdf": {"get"},
    "/api/v1/decisions/{decision_id}/certificates.pdf": {"get"},
    "/api/v1/decisions/{decision_id}/payments.xlsx": {"get"},
    "/api/v1/decisions/{decision_id}/revoke": {"post"},
    "/api/v1/verify/{code}": {"get"},
    "/api/v1/reports/summary": {"get"},
    "/api/v1/reports/forms/{form}.xlsx": {"get"},
    "/api/v1/people/{person_id}/history": {"get"},
    "/api/v1/exemplars": {"get", "post"},
    "/api/v1/conferences": {"post"},
    "/api/v1/conferences/{conference_id}": {"get"},
    "/api/v1/conferences/{conference_id}/presentations": {"post"},
    "/api/v1/presentations/{presentation_id}/reviews": {"post"},
}


@pytest.fixture
def openapi(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_describes_every_endpoint(openapi):
    assert {path: set(methods) for path, methods in openapi["paths"].items()} == ENDPOINTS


def test_openapi_gives_every_response_a_schema(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            assert operation["summary"], (path, method)
            for status, response in operation["responses"].items():
                # JSON answers, or a file (DOCX, PDF, XLSX) described as binary.
                content = response["content"]
                schema = (content.get("application/json") or next(iter(content.values())))["schema"]
                assert schema, (path, method, status)


def test_openapi_requires_a_bearer_token_except_for_the_token_and_verification_endpoints(openapi):
    assert openapi["components"]["securitySchemes"] == {"BearerToken": {"type": "http", "scheme": "bearer"}}
    secured = {
        (path, method)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
        if operation.get("security") == [{"BearerToken": []}]
    }
    everything = {(path, method) for path, methods in ENDPOINTS.items() for method in methods}
    assert everything - secured == {("/api/v1/auth/token", "post"), ("/api/v1/verify/{code}", "get")}


def test_openapi_describes_the_person_shapes(openapi):
    schemas = openapi["components"]["schemas"]

    assert set(schemas["PersonOut"]["properties"]) == {
        "id",
        "full_name",
        "family_name",
        "middle_name",
        "given_name",
        "gender",
        "birth_date",
        "cccd",
        "unit",
        "unit_name",
        "position",
        "recruited_on",
    }
    assert schemas["PersonCreateIn"]["required"] == ["full_name", "unit"]
    assert schemas["PersonCreateIn"]["properties"]["birth_date"]["anyOf"][0]["format"] == "date"
    assert set(schemas["ValidationErrorOut"]["properties"]) == {"detail", "errors"}
    assert set(schemas["UnitOut"]["properties"]) == {
        "code",
        "name",
        "kind",
        "parent",
        "valid_from",
        "valid_to",
    }


def test_openapi_describes_the_import_upload(openapi):
    operation = openapi["paths"]["/api/v1/imports/people"]["post"]

    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert form["properties"]["file"]["format"] == "binary"
    assert set(operation["responses"]) == {"200", "401", "403", "422"}


@pytest.mark.django_db
def test_docs_page_uses_only_the_apps_own_files():
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets == [
        "/static/ninja/swagger-ui.css",
        "/static/ninja/favicon.svg",
        "/static/ninja/favicon.png",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.django_db
def test_docs_page_complies_with_the_csp():
    response = Client().get("/api/v1/docs")

    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # Every <script> either loads a file or is a JSON data block (never executed, so CSP allows it).
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all(
        'src="/static/' in attributes or 'type="application/json"' in attributes for attributes in scripts
    )
    assert " style=" not in html and "onload=" not in html and "onclick=" not in html
    assert '"validatorUrl": null' in html
