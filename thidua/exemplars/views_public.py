"""The public pages (no login) under ``/vinh-danh/``: the honour board of exemplars, the awards by year and
unit, a page per exemplar, the published decisions, and the conferences with their programme.

What they show is decided by the selectors and by the consent flags, never by the templates alone:
- an exemplar appears when confirmed, published by the agency and consented by its holder to at least the
  name; its unit, story, photos, awards, initiatives and replication each need their own consent; the
  search matches only consented text (``public_search_text``);
- awards come from decisions the agency published (``DecisionPublication``), never revoked ones;
- a conference appears once its programme is published; its honourees only from published decisions.

Server-rendered, no script needed, a handful of queries per page (tested), and the lists are paginated.
"""

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from thidua.common.text import search_terms
from thidua.common.views import paginate
from thidua.exemplars import documents, sanitise, selectors
from thidua.exemplars.forms import PublicAwardSearchForm, PublicExemplarSearchForm
from thidua.exemplars.models import ExemplarPhoto, PublicAward

BOARD_PAGE_SIZE = 24
AWARDS_PAGE_SIZE = 50
PUBLIC_CACHE = "public, max-age=60"


def _public(request, response: HttpResponse) -> HttpResponse:
    """Anonymous visitors' pages may be kept by shared caches for a minute (a holder who withdraws consent is
    off the board within a minute); signed-in users' pages are private (their layout names them)."""
    if request.user.is_authenticated:
        response.setdefault("Cache-Control", "private, max-age=0")
    else:
        response.setdefault("Cache-Control", PUBLIC_CACHE)
    return response


def _photos_prefetch():
    return Prefetch("photos", queryset=ExemplarPhoto.objects.order_by("order", "id"), to_attr="photo_list")


@require_GET
def board(request):
    exemplars = selectors.public_exemplars()
    # Every year some exemplar covers: "exemplars of 2018" includes those of 2016–2020.
    years = sorted({year for start, end in exemplars.values_list("period_start", "period_end") for year in range(start, end + 1)}, reverse=True)
    form = PublicExemplarSearchForm(request.GET or None, years=years)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {"q": "", "year": None}
    # A search that cannot be read shows nothing (and says why), never everything.
    shown = exemplars.none() if form.is_bound and form.errors else exemplars
    for term in search_terms(values["q"]):
        shown = shown.filter(public_search_text__contains=term)
    if values["year"]:
        shown = shown.filter(period_start__lte=values["year"], period_end__gte=values["year"])
    page = paginate(request, shown.prefetch_related(_photos_prefetch()), BOARD_PAGE_SIZE)
    context = {
        "form": form, "page": page, "filtered": bool(values["q"] or values["year"] or form.errors),
        "recent_awards": list(selectors.public_awards().order_by("-decision_date", "order")[:8]),
        "conferences": list(selectors.public_conferences()[:3]),
    }
    return _public(request, render(request, "exemplars/public/board.html", context))


@require_GET
def exemplar_page(request, pk: int):
    exemplar = selectors.public_exemplar(pk)
    photos = list(exemplar.photos.order_by("order", "id")) if exemplar.public_photos else []
    story = ""
    if exemplar.public_story:
        # Images only when photos are consented, and only of this exemplar.
        story = sanitise.clean_html(exemplar.story_html, allow_images=exemplar.public_photos, allowed_photos={photo.pk for photo in photos})
    shown_in_story = set(sanitise.photo_ids(story))
    context = {
        "exemplar": exemplar,
        "story": story,
        "summary": exemplar.summary if exemplar.public_story else "",
        "photos": [photo for photo in photos if photo.pk not in shown_in_story],
        "awards": list(exemplar.awards.filter(revoked=False).select_related("award").order_by("-period_end")) if exemplar.public_awards else [],
        "initiatives": list(exemplar.initiatives.order_by("-recognized_on")) if exemplar.public_initiatives else [],
        "replications": list(exemplar.replications.all()) if exemplar.public_replications else [],
        "unit_name": exemplar.unit.name if exemplar.public_unit and exemplar.person_id else "",
        "position": exemplar.person.current_position if exemplar.public_unit and exemplar.person_id else "",
    }
    return _public(request, render(request, "exemplars/public/exemplar.html", context))


@require_GET
def photo(request, photo_id: int):
    """A story photo: public when its exemplar is public with photos consented; otherwise only for a
    signed-in user who may see the exemplar."""
    item = get_object_or_404(ExemplarPhoto.objects.select_related("exemplar"), pk=photo_id)
    exemplar = item.exemplar
    public = exemplar.is_public and exemplar.public_photos
    if not public:
        if not request.user.is_authenticated or not selectors.exemplars_visible_to(request.user).filter(pk=exemplar.pk).exists():
            raise Http404
    content_type = "image/png" if item.file.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(item.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@require_GET
def awards(request):
    from thidua.organizations.models import Unit

    rows = selectors.public_awards()
    years = sorted(set(rows.values_list("year", flat=True)), reverse=True)
    units = Unit.objects.filter(pk__in=rows.values("unit")).order_by("path")
    form = PublicAwardSearchForm(request.GET or None, years=years, units=units)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {"q": "", "year": None, "unit": ""}
    if form.is_bound and form.errors:
        rows = rows.none()
    if values["year"]:
        rows = rows.filter(year=values["year"])
    unit = form.units.get(values["unit"] or "")
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    for term in search_terms(values["q"]):
        rows = rows.filter(search_text__contains=term)
    page = paginate(request, rows.order_by("-year", "-decision_date", "decision_reference", "order", "id"), AWARDS_PAGE_SIZE)
    return _public(request, render(request, "exemplars/public/awards.html", {
        "form": form, "page": page, "filtered": bool(values["q"] or values["year"] or unit or form.errors)}))


@require_GET
def decisions(request):
    page = paginate(request, selectors.published_decisions(), 30)
    return _public(request, render(request, "exemplars/public/decisions.html", {"page": page}))


@require_GET
def decision_page(request, pk: int):
    decision = selectors.published_decision(pk)
    lines = list(PublicAward.objects.filter(publication__decision=decision).select_related("award_record").order_by("order", "id"))
    return _public(request, render(request, "exemplars/public/decision.html", {"decision": decision, "lines": lines}))


@require_GET
def conferences(request):
    page = paginate(request, selectors.public_conferences(), 20)
    return _public(request, render(request, "exemplars/public/conferences.html", {"page": page}))


@require_GET
def conference_page(request, pk: int):
    conference = selectors.public_conference(pk)
    news = ""
    if conference.status == "reported":
        from thidua.common.documents import generated_versions

        latest = generated_versions(conference, documents.NEWS_KIND).order_by("-version").first()
        if latest is not None:
            with latest.file.open("rb") as handle:
                news = handle.read().decode("utf-8")
    honourees = selectors.public_honourees(conference)
    return _public(request, render(request, "exemplars/public/conference.html", {
        "conference": conference, "agenda": list(conference.agenda.all()), "legal_bases": list(conference.legal_bases.order_by("issued_on")),
        "presentations": list(selectors.accepted_presentations(conference)), "honourees": honourees,
        "collectives": sum(1 for line in honourees if line.unit_id), "individuals": sum(1 for line in honourees if line.person_id),
        "news_paragraphs": [paragraph for paragraph in news.split("\n\n") if paragraph.strip()][1:],
        "movement": conference.launched_movement,
    }))


@require_GET
def conference_programme_pdf(request, pk: int):
    conference = selectors.public_conference(pk)
    response = HttpResponse(documents.programme_pdf(conference, public=True), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chuong-trinh-hoi-nghi-{conference.held_on:%Y-%m-%d}.pdf"'
    return _public(request, response)
