/**
 * Error codes the credentials sign-in hands back through next-auth (its `error` value), and what
 * the sign-in form says for each. Shared by the server (lib/auth/options.ts) and the form.
 */
export const SIGNIN_ERRORS = { throttled: "throttled", blocked: "blocked" } as const;

export function signinErrorMessage(error: string): string {
  if (error.startsWith(`${SIGNIN_ERRORS.throttled}:`)) {
    const minutes = Math.max(1, Math.ceil(Number(error.split(":")[1]) / 60) || 15);
    return `Too many failed sign-ins for this account or network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  if (error === SIGNIN_ERRORS.blocked) return "This account is blocked. Ask an admin if you think this is a mistake.";
  return "Wrong email or password.";
}
