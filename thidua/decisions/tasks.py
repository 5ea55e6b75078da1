"""Background tasks of decisions (Django's tasks framework; the database backend queues them for
`thidua db_worker`; the tests run them at once with the immediate backend)."""

from django.tasks import task


@task
def certificates_generate(batch_id: int) -> int:
    """A large batch of certificates into one PDF, with its progress on the batch row."""
    from thidua.decisions.certificates import certificate_batch_run

    certificate_batch_run(batch_id)
    return batch_id


@task
def decision_pdf_generate(decision_id: int) -> int | None:
    """The issued decision's PDF, converted by LibreOffice from its stored DOCX (queued after issuing)."""
    from thidua.decisions.documents import decision_pdf
    from thidua.decisions.models import Decision

    decision = Decision.objects.select_related("issuing_unit").get(pk=decision_id)
    return decision_pdf(decision).pk
