/** Headless Debian Chromium with WebGL on SwiftShader (no GPU here), shared by the e2e tests. */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--use-gl=angle",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * A browser context signed in with email + password through the sign-in page; registers the
 * account there on first use (`isNew`: whether the account must be created). Staff accounts pass
 * `verificationLink`: a new account then confirms its address with that link (from the web
 * server's log or the users CLI, tests/support/accounts.ts), as env roles need a proven address.
 */
export async function signedInContext(
  browser: Browser,
  opts: { url: string; email: string; isNew: boolean; password?: string; context?: BrowserContextOptions; verificationLink?: () => Promise<string> },
): Promise<{ ctx: BrowserContext; page: Page }> {
  const password = opts.password ?? "correct horse battery";
  const ctx = await browser.newContext(opts.context);
  const page = await ctx.newPage();
  await page.goto(`${opts.url}/signin`);
  if (opts.isNew) await page.getByTestId("signin-toggle").click();
  await page.getByTestId("signin-email").fill(opts.email);
  await page.getByTestId("signin-password").fill(password);
  await page.getByTestId("signin-submit").click();
  await page.getByTestId("nav-user").waitFor({ timeout: 20_000 });
  if (opts.isNew && opts.verificationLink) {
    const { confirmEmail } = await import("./accounts");
    await confirmEmail(page, await opts.verificationLink(), password);
    await page.goto(opts.url);
  }
  return { ctx, page };
}
