// Completions that are ready together go together: while one POST /api/v1/complete is in flight,
// the completions of other jobs wait and then go in the next one, so a worker running several
// jobs at once gets the speed of batched reports (one commit, one fsync per call) without its
// handlers knowing. A completion alone goes to POST /jobs/{id}/complete, as it always did.
//
// Each completion settles on its own answer: a stale lease rejects only that job's promise. A
// batch the server refuses whole (a result nested as deeply as json_max_depth allows is too deep
// inside the batch's two extra levels; a body over max_body_bytes) is sent again one completion
// per request. A transient failure of the call rejects every completion in it, and each job's
// run resends its own, as it would a single one.

import type { Client } from "./client.js";
import { CorralError, errorFor } from "./errors.js";
import type { CompleteBatchItem, CompleteRequest } from "./types.js";

interface Pending {
  item: CompleteBatchItem;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class CompletionBatcher {
  private queued: Pending[] = [];
  private sending = false;

  constructor(private readonly client: Client) {}

  complete(id: string, request: CompleteRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ item: { id, ...request }, resolve, reject });
      // None in flight: this one goes at once, so a completion never waits for company.
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queued.length > 0) {
        // The server takes up to max_batch_jobs (1000 by default) per call.
        const batch = this.queued.splice(0, 1000);
        await this.send(batch);
      }
    } finally {
      this.sending = false;
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.client.completeBatch(batch.map((p) => p.item));
        batch.forEach((p, i) => {
          const answer = results[i];
          if (answer?.status !== undefined) p.resolve();
          else p.reject(errorFor({ status: 200, code: answer?.error?.code ?? "unexpected_response", message: answer?.error?.message ?? `no answer for job ${p.item.id}` }));
        });
        return;
      } catch (e) {
        const refusedWhole = e instanceof CorralError && e.status >= 400 && e.status < 500;
        if (!refusedWhole) {
          for (const p of batch) p.reject(e);
          return;
        }
      }
    }
    await Promise.all(
      batch.map(({ item: { id, ...request }, resolve, reject }) =>
        this.client.complete(id, request).then(() => resolve(), reject),
      ),
    );
  }
}
