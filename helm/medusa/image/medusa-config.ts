import { loadEnv, defineConfig, Modules } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// All settings come from the environment the helm/medusa chart sets:
// DATABASE_URL, REDIS_URL, JWT_SECRET, COOKIE_SECRET, STORE_CORS, ADMIN_CORS,
// AUTH_CORS, MEDUSA_BACKEND_URL.
const backendUrl = process.env.MEDUSA_BACKEND_URL || "http://localhost:9000"
const redisUrl = process.env.REDIS_URL

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    // The in-namespace PostgreSQL has no TLS; Medusa enables TLS by default outside development.
    databaseDriverOptions: process.env.DATABASE_SSL === "true" ? {} : { connection: { ssl: false } },
    redisUrl,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET!,
      cookieSecret: process.env.COOKIE_SECRET!,
    },
    // Secure cookies only when the store is served over https.
    cookieOptions: { secure: backendUrl.startsWith("https://"), sameSite: "lax" },
  },
  admin: {
    // The dashboard is served by this server under /app and calls the API on the same origin.
    path: "/app",
  },
  modules: redisUrl
    ? [
        { resolve: "@medusajs/medusa/cache-redis", key: Modules.CACHE, options: { redisUrl } },
        { resolve: "@medusajs/medusa/event-bus-redis", key: Modules.EVENT_BUS, options: { redisUrl } },
        { resolve: "@medusajs/medusa/workflow-engine-redis", key: Modules.WORKFLOW_ENGINE, options: { redis: { url: redisUrl } } },
        {
          resolve: "@medusajs/medusa/locking",
          key: Modules.LOCKING,
          options: { providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }] },
        },
      ]
    : [],
})
