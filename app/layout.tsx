import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import { SiteHeader } from "@/components/site/site-header";
import "./globals.css";

const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2.5 20.5 7v10L12 21.5 3.5 17V7z" fill="#1b2333" stroke="#6ea8fe" stroke-width="1.6" stroke-linejoin="round"/><path d="M3.5 7 12 11.5 20.5 7M12 11.5v10" fill="none" stroke="#6ea8fe" stroke-width="1.6" stroke-linejoin="round"/></svg>';

export const metadata: Metadata = {
  title: { default: "3DCodeArena", template: "%s · 3DCodeArena" },
  description:
    "Compare two anonymous 3D models built by AI-written Blender code, vote for the better one, " +
    "and see how frontier models rank.",
  applicationName: "3DCodeArena",
  // Inline so the icon needs no extra asset or request.
  icons: { icon: `data:image/svg+xml,${encodeURIComponent(FAVICON_SVG)}` },
};

export const viewport: Viewport = {
  themeColor: "#0b0d12",
  colorScheme: "dark",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the CSP nonce (proxy.ts) differs each time and Next can only
  // stamp it on scripts it renders now, not on a page prerendered at build time.
  await connection();
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col font-sans antialiased">
        <SiteHeader />
        <main className="flex-1">{children}</main>
      </body>
    </html>
  );
}
