/**
 * Client ID Metadata Documents: the SSRF guard on the URL, and the fetch (an injected
 * fetcher stands in for the network: the documents live on hosts the sandbox cannot be).
 */
import { describe, expect, it } from "vitest";
import { type CimdFetcher, resolveCimdClient } from "../../src/oauth/cimd";
import { checkCimdUrl, isPublicIpv4, isPublicIpv6 } from "../../src/oauth/cimd-url";

/** A unique document URL per test (the cache is per isolate). */
function docUrl(): string {
  return `https://app.example/oauth/${crypto.randomUUID()}.json`;
}

function jsonFetcher(body: unknown, init: ResponseInit = {}): { fetcher: CimdFetcher; requests: Request[] } {
  const requests: Request[] = [];
  return {
    requests,
    fetcher: async (request) => {
      requests.push(request);
      return new Response(typeof body === "string" ? body : JSON.stringify(body), {
        status: 200,
        headers: { "content-type": "application/json" },
        ...init,
      });
    },
  };
}

function failure(r: { ok: true } | { ok: false; error: string }): string {
  return r.ok ? "ok" : r.error;
}

describe("checkCimdUrl: the SSRF guard", () => {
  it.each([
    "https://claude.ai/oauth/claude-code-client-metadata",
    "https://vscode.dev/oauth/client-metadata.json",
    "https://8.8.8.8/client.json",
    "https://[2606:4700:4700::1111]/client.json",
  ])("accepts %s", (url) => {
    expect(checkCimdUrl(url).ok).toBe(true);
  });

  it.each([
    ["http://app.example/client.json", "https"],
    ["https://app.example/", "path"],
    ["https://app.example", "path"],
    ["https://user:pw@app.example/client.json", "user information"],
    ["https://app.example/client.json#x", "fragment"],
    ["https://app.example:8443/client.json", "default https port"],
    ["https://localhost/client.json", "local host"],
    ["https://printer.local/client.json", "local host"],
    ["https://metadata.google.internal/computeMetadata/v1/", "local host"],
    ["https://db.localhost/client.json", "local host"],
    // Any number of trailing dots names the same host (hostile-client finding I-2).
    ["https://localhost../client.json", "local host"],
    ["https://metadata.google.internal../computeMetadata/v1/", "local host"],
    ["https://intranet/client.json", "fully qualified"],
    ["https://127.0.0.1/client.json", "non-public IP"],
    ["https://10.1.2.3/client.json", "non-public IP"],
    ["https://172.16.0.1/client.json", "non-public IP"],
    ["https://192.168.1.1/client.json", "non-public IP"],
    ["https://169.254.169.254/latest/meta-data", "non-public IP"],
    ["https://100.64.0.1/client.json", "non-public IP"],
    ["https://0.0.0.0/client.json", "non-public IP"],
    ["https://[::1]/client.json", "non-public IP"],
    ["https://[fd00::1]/client.json", "non-public IP"],
    ["https://[fe80::1]/client.json", "non-public IP"],
    ["https://[::ffff:7f00:1]/client.json", "non-public IP"],
    ["https://[64:ff9b::a00:1]/client.json", "non-public IP"],
    ["https://[2002:a00:1::]/client.json", "non-public IP"],
    // Other spellings of 127.0.0.1 are canonicalised by the URL parser, so they are not canonical.
    ["https://2130706433/client.json", "canonical"],
    ["https://0x7f.0.0.1/client.json", "canonical"],
    ["https://APP.example/client.json", "canonical"],
    [`https://app.example/${"a".repeat(2100)}`, "longer than"],
  ])("refuses %s (%s)", (url, why) => {
    expect(failure(checkCimdUrl(url))).toContain(why);
  });

  it("classifies address ranges", () => {
    expect(isPublicIpv4("1.1.1.1")).toBe(true);
    expect(isPublicIpv4("172.32.0.1")).toBe(true);
    expect(isPublicIpv4("100.128.0.1")).toBe(true);
    for (const ip of ["172.31.255.255", "100.127.0.1", "224.0.0.1", "255.255.255.255", "198.51.100.1", "203.0.113.9", "192.0.2.1"]) {
      expect(isPublicIpv4(ip), ip).toBe(false);
    }
    expect(isPublicIpv6("2001:4860:4860::8888")).toBe(true);
    for (const ip of ["::", "::1", "fc00::1", "ff02::1", "2001:db8::1", "2001::1", "::ffff:a00:1"]) {
      expect(isPublicIpv6(ip), ip).toBe(false);
    }
  });
});

describe("resolveCimdClient: fetching the document", () => {
  it("accepts a valid document: name and redirect URIs, fetched once without following redirects, then cached", async () => {
    const url = docUrl();
    const { fetcher, requests } = jsonFetcher({
      client_id: url,
      client_name: "VS Code",
      redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "none",
      logo_uri: "https://app.example/logo.png",
    });
    const r = await resolveCimdClient(url, { fetcher });
    expect(r).toEqual({
      ok: true,
      value: { id: url, name: "VS Code", redirectUris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"], kind: "cimd" },
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.redirect).toBe("manual");
    expect(requests[0]?.method).toBe("GET");
    const again = await resolveCimdClient(url, { fetcher });
    expect(again.ok).toBe(true);
    expect(requests).toHaveLength(1);
    // Past the cache lifetime it is fetched again.
    const later = await resolveCimdClient(url, { fetcher, nowMs: Date.now() + 6 * 60_000 });
    expect(later.ok).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it("refuses a document whose client_id is not its own URL", async () => {
    const url = docUrl();
    const { fetcher } = jsonFetcher({ client_id: "https://other.example/client.json", redirect_uris: ["https://app.example/cb"] });
    expect(failure(await resolveCimdClient(url, { fetcher }))).toContain("different client_id");
  });

  it("never fetches a private IP literal, localhost or an http URL", async () => {
    const { fetcher, requests } = jsonFetcher({});
    for (const url of ["https://10.0.0.1/client.json", "https://localhost/client.json", "http://app.example/client.json"]) {
      expect((await resolveCimdClient(url, { fetcher })).ok, url).toBe(false);
    }
    expect(requests).toHaveLength(0);
  });

  it("refuses an oversize document, by Content-Length and by the body actually read", async () => {
    const url = docUrl();
    const big = JSON.stringify({ client_id: url, redirect_uris: ["https://app.example/cb"], pad: "x".repeat(70_000) });
    const declared = jsonFetcher(big);
    expect(failure(await resolveCimdClient(url, { fetcher: declared.fetcher }))).toContain("larger than 64 KB");
    const streamed: CimdFetcher = async () => {
      const bytes = new TextEncoder().encode(big);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
          controller.close();
        },
      });
      return new Response(body, { status: 200 });
    };
    expect(failure(await resolveCimdClient(docUrl(), { fetcher: streamed }))).toContain("larger than 64 KB");
  });

  it("gives up after the timeout", async () => {
    let aborted = false;
    const hanging: CimdFetcher = (request) =>
      new Promise((_, reject) => {
        request.signal.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("aborted"));
        });
      });
    expect(failure(await resolveCimdClient(docUrl(), { fetcher: hanging, timeoutMs: 20 }))).toContain("did not arrive within");
    expect(aborted).toBe(true);
  });

  it("does not follow a redirect", async () => {
    const { fetcher } = jsonFetcher("", { status: 302, headers: { location: "https://169.254.169.254/latest/meta-data" } });
    expect(failure(await resolveCimdClient(docUrl(), { fetcher }))).toContain("redirects are not followed");
  });

  it("refuses a body that is not JSON, an error status, and a fetch that fails", async () => {
    expect(failure(await resolveCimdClient(docUrl(), { fetcher: jsonFetcher("<html>hi</html>").fetcher }))).toContain("not JSON");
    expect(failure(await resolveCimdClient(docUrl(), { fetcher: jsonFetcher("{}", { status: 404 }).fetcher }))).toContain("HTTP 404");
    const broken: CimdFetcher = async () => {
      throw new TypeError("network down");
    };
    expect(failure(await resolveCimdClient(docUrl(), { fetcher: broken }))).toContain("could not be fetched");
  });

  it("refuses documents with bad redirect URIs, confidential auth or unknown grant types", async () => {
    for (const [extra, why] of [
      [{ redirect_uris: ["javascript:alert(1)"] }, "javascript:"],
      [{ redirect_uris: [] }, "at least one"],
      [{ redirect_uris: ["https://app.example/cb"], token_endpoint_auth_method: "private_key_jwt" }, "public clients"],
      [{ redirect_uris: ["https://app.example/cb"], grant_types: ["implicit"] }, "implicit"],
      [{}, "redirect_uris"],
    ] as const) {
      const url = docUrl();
      const { fetcher } = jsonFetcher({ client_id: url, ...extra });
      expect(failure(await resolveCimdClient(url, { fetcher })), why).toContain(why);
    }
  });
});
