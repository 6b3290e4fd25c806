/**
 * Headless Chromium for the browser tests (Debian's /usr/bin/chromium, driven by playwright-core):
 * whether they run, and how it starts on this machine's closed network. Under CI (.ci/run
 * installs Chromium) they always run, and a missing browser fails loudly; elsewhere they are
 * skipped with a note when Chromium is not installed.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium. */
const CHROMIUM = "/usr/bin/chromium";
/** Flags for this machine's closed network (see .library/env/machines/node.md). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** CI is set (to anything but "", "0" or "false") by .ci/run and by hosted CI runners. */
const UNDER_CI = !["", "0", "false"].includes((process.env.CI ?? "").trim().toLowerCase());

/** Whether the browser tests run: always under CI; elsewhere only when Chromium is installed. */
export const RUN_IN_BROWSER = existsSync(CHROMIUM) || UNDER_CI;
if (!RUN_IN_BROWSER) console.warn(`browser e2e: ${CHROMIUM} not found, skipping the browser tests (apt-get install -y chromium)`);

/** Starts headless Chromium; throws a clear error when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
