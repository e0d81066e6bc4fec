import { Arena } from "@/components/arena/arena";
import { ZTrack } from "@/lib/contracts";

export default async function ArenaPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { track } = await searchParams;
  const parsed = ZTrack.safeParse(track);
  return <Arena initialTrack={parsed.success ? parsed.data : "text"} />;
}
