/**
 * Hostile-client finding H-1: readBodyCapped trusted a declared Content-Length for how much
 * it reads. A fetched Response (the CIMD document of an attacker's client_id) that declares
 * `Content-Length: 10` while its body is chunked and unbounded is read in one
 * `arrayBuffer()` call, so the whole body was buffered before the cap was checked (reproduced
 * in workerd: a server sending `Content-Length: 10` + `Transfer-Encoding: chunked` and 52 MB
 * got all 52 MB read, the Response keeping both headers). Fixed: a response is always read chunk by chunk; the cap stops the read.
 */
import { describe, expect, it } from "vitest";
import { readBodyCapped } from "../../src/http/responses";
import { type CimdFetcher, resolveCimdClient } from "../../src/oauth/cimd";

/** A body of `chunks` x 64 KB that counts how many bytes the reader pulled. */
function countingBody(chunks: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  let sent = 0;
  const chunk = new Uint8Array(65_536).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= chunks) return controller.close();
      sent++;
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe("H-1: a declared Content-Length smaller than the body", () => {
  it("readBodyCapped stops reading at the cap, whatever Content-Length says", async () => {
    const { stream, pulled } = countingBody(200); // 12.5 MB
    const res = new Response(stream, { headers: { "content-length": "10", "content-type": "application/json" } });
    expect(await readBodyCapped(res, 65_536)).toBeNull();
    // The loop stops after the chunk that passes the cap (the stream may have pulled one more
    // ahead); the one-call read pulled all 12.5 MB.
    expect(pulled()).toBeLessThanOrEqual(3 * 65_536);
  });

  it("a CIMD document served with Content-Length: 10 and a 12.5 MB chunked body is not buffered", async () => {
    let pulled = (): number => 0;
    const fetcher: CimdFetcher = async () => {
      const body = countingBody(200);
      pulled = body.pulled;
      return new Response(body.stream, { status: 200, headers: { "content-length": "10", "content-type": "application/json" } });
    };
    const r = await resolveCimdClient(`https://app.example/oauth/${crypto.randomUUID()}.json`, { fetcher });
    expect(r.ok).toBe(false);
    expect(pulled()).toBeLessThanOrEqual(3 * 65_536);
  });
});
