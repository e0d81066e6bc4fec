/** Minimal structured-ish logger: one line per event, prefixed with the component. */
import { basicsEnv } from "@/lib/env";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function logger(component: string) {
  const min = ORDER[basicsEnv().LOG_LEVEL];
  const out = (level: Level, msg: string) => {
    if (ORDER[level] < min) return;
    const line = `${new Date().toISOString()} ${level.padEnd(5)} [${component}] ${msg}`;
    (level === "error" || level === "warn" ? console.error : console.log)(line);
  };
  return {
    debug: (m: string) => out("debug", m),
    info: (m: string) => out("info", m),
    warn: (m: string) => out("warn", m),
    error: (m: string) => out("error", m),
  };
}
