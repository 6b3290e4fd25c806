/** The narrow interface tools use to call Passgage; implemented by the SessionDO. */
import type { Result } from "../result";
import type { UpstreamError, UpstreamRequest, UpstreamSuccess } from "./client";

/** Calls the Passgage API on behalf of the current session and mode. */
export interface UpstreamCaller {
  call(request: UpstreamRequest): Promise<Result<UpstreamSuccess, UpstreamError>>;
}
