/** Path parameter schemas shared by route handlers (a malformed one answers 404 through apiRoute). */
import { z } from "zod";

/** Row ids are cuids; anything longer than this cannot be one of ours. */
export const ZIdParams = z.object({ id: z.string().min(1).max(64) });
