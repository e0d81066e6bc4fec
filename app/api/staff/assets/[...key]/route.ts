import { apiRoute } from "@/lib/api/handler";
import { requireRole } from "@/lib/auth/session";
import { assetResponse } from "@/lib/storage/respond";

export const dynamic = "force-dynamic";

/** Any stored asset (outputs of every model, metric GLBs), for maintainers and admins only. */
export const GET = apiRoute<undefined, undefined, { key: string[] }>({
  handler: async ({ params }) => {
    await requireRole("maintainer");
    // Private: a shared cache must never hand a staff-only asset to someone else.
    return assetResponse(params.key.join("/"), "private, max-age=3600");
  },
});
