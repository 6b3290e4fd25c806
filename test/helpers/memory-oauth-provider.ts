/**
 * An in-memory OAuth client provider for the MCP SDK 1.x client, shared by the e2e tests (Node,
 * against `wrangler dev`) and the workers tests (test/oauth/sdk-cimd.test.ts): no Node-only API.
 */
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

/**
 * An in-memory `OAuthClientProvider` for the MCP SDK 1.x client: keeps the registration,
 * tokens and PKCE verifier, and records the authorization URL the SDK asks to open (the
 * test opens it in Chromium, then calls `transport.finishAuth(code)`). With
 * `clientMetadataUrl` the SDK identifies itself by that document URL (CIMD) instead of DCR.
 */
export class MemoryOAuthProvider implements OAuthClientProvider {
  /** The URL the SDK last asked the user to open, if any. */
  authorizationUrl: URL | null = null;
  private client: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = "";
  private readonly stateValue: string;
  readonly clientMetadataUrl?: string;

  constructor(
    private readonly redirect: string,
    private readonly name: string,
    clientMetadataUrl?: string,
    state: string = crypto.randomUUID(),
  ) {
    if (clientMetadataUrl !== undefined) this.clientMetadataUrl = clientMetadataUrl;
    this.stateValue = state;
  }

  get redirectUrl(): string {
    return this.redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [this.redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  /** The `state` the SDK sends; the test checks the redirect echoes it. */
  state(): string {
    return this.stateValue;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): void {
    if (scope === "all" || scope === "tokens") this.saved = undefined;
    if (scope === "all" || scope === "client") this.client = undefined;
    if (scope === "all" || scope === "verifier") this.verifier = "";
  }
}
