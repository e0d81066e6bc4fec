/** Single shot: one attempt, whose code is executed as is (up to 4 calls only to get code that parses). */
import type { CodeGenerator } from "@/lib/contestants/types";
import { askForCode, type HarnessDeps } from "./ask";
import { taskMessage } from "./prompts";

export function singleShot(deps: HarnessDeps): CodeGenerator {
  return {
    maxAttempts: 1,
    async generate(req) {
      return askForCode(deps, await taskMessage({ ...req, settings: { ...deps.settings, ...req.settings } }, deps.promptSet), req);
    },
  };
}
