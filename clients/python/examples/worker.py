"""A worker for report.build jobs: resumes from its checkpoint, reports progress, heeds cancels."""

import logging
import os
from typing import Any

import corral

logging.basicConfig(level=logging.INFO)
client = corral.Client(os.environ.get("CORRAL_URL", "http://127.0.0.1:7878"))
worker = corral.Worker(client, queues=["reports"], concurrency=4)


@worker.handler("report.build")
def build_report(ctx: corral.JobContext) -> dict[str, Any]:
    report = ctx.payload.get("report")
    if not isinstance(report, int):
        # Retrying cannot fix the input: fail for good, skipping the remaining attempts.
        raise corral.PermanentError(f"report must be a number, not {report!r}", code="bad_report")
    pages = 10
    # A retry (or another worker, after this one was stopped) starts where this attempt got to.
    first = (ctx.job["checkpoint"] or {}).get("next_page", 0)
    for page in range(first, pages):
        ctx.raise_if_cancelled()  # fails the attempt; the server then marks the job cancelled
        render_page(report, page)
        ctx.checkpoint({"next_page": page + 1})
        ctx.progress(100 * (page + 1) / pages, stage="render", current=page + 1, total=pages)
    return {"url": f"/reports/{report}.pdf", "pages": pages}


def render_page(report: int, page: int) -> None:
    logging.info("report %d: page %d rendered", report, page)  # the real work goes here


if __name__ == "__main__":
    # Until SIGTERM or Ctrl-C; then running jobs get 30 s to finish, and the rest are released.
    worker.run()
