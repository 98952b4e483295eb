"""A web back end that hands slow work to Corral, FastAPI style (any framework goes the same way).

Routes are plain `def`s: FastAPI runs them on its thread pool, where the client's blocking
calls belong, and one Client is shared by every request.
"""

import os
from typing import Any

from fastapi import FastAPI, HTTPException

import corral

app = FastAPI()
jobs = corral.Client(os.environ.get("CORRAL_URL", "http://127.0.0.1:7878"))


@app.post("/reports/{report_id}", status_code=202)
def start_report(report_id: int) -> dict[str, Any]:
    # The idempotency key makes a double-clicked button one job, not two.
    job = jobs.enqueue(
        "report.build",
        {"report": report_id},
        queue="reports",
        idempotency_key=f"report-{report_id}",
        owner="web",
    )
    return {"job_id": job["id"], "status": job["status"]}


@app.get("/jobs/{job_id}")
def job_status(job_id: str, wait: float = 0) -> dict[str, Any]:
    """With ?wait=20 the browser's request is held until the job ends (or 20 s pass): the
    browser asks again then, instead of polling in a tight loop."""
    try:
        job = jobs.wait_for_job(job_id, timeout=wait) if wait > 0 else jobs.get_job(job_id)
    except corral.WaitTimeout as timeout:
        job = timeout.job or jobs.get_job(job_id)
    except corral.NotFound:
        raise HTTPException(status_code=404, detail="no such job")
    return {key: job[key] for key in ("status", "progress", "result", "error")}


@app.post("/jobs/{job_id}/cancel")
def cancel_job(job_id: str) -> dict[str, Any]:
    try:
        job = jobs.cancel(job_id)
    except corral.WrongState:
        raise HTTPException(status_code=409, detail="the job has already ended")
    # A running job stays running until its worker hears of the cancel at its next heartbeat.
    return {"status": job["status"], "cancel_requested": job["cancel_requested"]}
