"""Benchmark: the decision DOCX (Decree 30 layout) for 500 recipients.

    .venv/bin/python benchmarks/decision_docx.py [--recipients N] [--keep] [--pdf]

Creates a fresh PostgreSQL database ``thidua_bench_decisions`` (as ``certificates.py`` does, and dropped
at the end unless ``--keep``), builds an issued decision giving Giấy khen to N people and 10 offices
through the services, then times ``documents.decision_docx`` — the letterhead, the legal bases, Điều 1–3
with the money, the signature block and the annex list of N + 10 rows — five times, and checks the
result opens with python-docx with every row of the annex. ``--pdf`` also times LibreOffice's
conversion of it to PDF (needs ``soffice``).

Target: under 2 s for 500 recipients.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import certificates as bench  # noqa: E402  (the shared database and decision builder)

TARGET_SECONDS = 2.0
COLLECTIVES = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {bench.DATABASE}")
    parser.add_argument("--pdf", action="store_true", help="also time the conversion to PDF by LibreOffice")
    arguments = parser.parse_args()
    bench.setup_django()
    try:
        print(f"Building a decision of {arguments.recipients} people and {COLLECTIVES} offices through the services…")
        decision, _drafted, issued, _officer = bench.build_decision(arguments.recipients, collectives=COLLECTIVES)
        print(f"  issued {decision.reference} in {issued:.2f} s")

        from docx import Document

        from thidua.decisions import documents

        samples = []
        content = b""
        for _ in range(5):
            started = time.perf_counter()
            content = documents.decision_docx(decision)
            samples.append(time.perf_counter() - started)
        document = Document(io.BytesIO(content))
        annex = document.tables[-1]
        lines = arguments.recipients + COLLECTIVES
        # Header, two section rows (I. TẬP THỂ, II. CÁ NHÂN), one row per line, the total.
        assert len(annex.rows) == lines + 4, len(annex.rows)
        print(f"decision_docx: median {statistics.median(samples):.2f} s, best {min(samples):.2f} s, worst {max(samples):.2f} s "
              f"({len(content) / 1024:.0f} KB, {len(document.paragraphs)} paragraphs, annex of {len(annex.rows)} rows)")
        if arguments.pdf:
            started = time.perf_counter()
            pdf = documents.docx_to_pdf(content)
            print(f"LibreOffice DOCX → PDF: {time.perf_counter() - started:.2f} s ({len(pdf) / 1024:.0f} KB)")
        verdict = "met" if statistics.median(samples) < TARGET_SECONDS else "MISSED"
        print(f"Target: the DOCX of a {arguments.recipients}-recipient decision under {TARGET_SECONDS:.0f} s — {verdict}")
    finally:
        if not arguments.keep:
            bench.drop_database()


if __name__ == "__main__":
    main()
