import type { QueueHealth } from "@/lib/jobs/queue-health";

export function QueueTable({ queues }: { queues: QueueHealth[] }) {
  return (
    <table className="w-full text-sm tabular" data-testid="queue-health">
      <thead className="text-left text-xs text-arena-muted">
        <tr>
          <th className="py-1 font-medium">Queue</th>
          <th className="py-1 text-right font-medium">Waiting</th>
          <th className="py-1 text-right font-medium">Active</th>
          <th className="py-1 text-right font-medium">Delayed</th>
          <th className="py-1 text-right font-medium">Failed</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((q) => (
          <tr key={q.queue} className="border-t border-arena-border/60" data-testid="queue-row" data-queue={q.queue}>
            <td className="py-1">{q.queue}</td>
            <td className="py-1 text-right">{q.waiting}</td>
            <td className="py-1 text-right">{q.active}</td>
            <td className="py-1 text-right">{q.delayed}</td>
            <td className={`py-1 text-right ${q.failed ? "text-arena-danger" : ""}`}>{q.failed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
