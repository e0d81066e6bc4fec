import type { Figure } from "@/lib/judge/agreement";
import type { JudgeBoard, JudgeGroup } from "@/lib/judge/overview";
import { formatElo, formatPercent } from "@/components/ui/format";

const OUTCOME_LABEL = ["A", "B", "Tie", "Both bad"];

function FigureCell({ label, figure, kind, help }: { label: string; figure: Figure; kind: "share" | "kappa"; help: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5 rounded-lg bg-arena-raised p-2.5" title={help}>
      <span className="text-xs text-arena-muted">{label}</span>
      {figure.value === null ? (
        <span className="text-xs text-arena-warn" data-testid="judge-figure-missing">
          {figure.reason}
        </span>
      ) : (
        <span className="text-lg font-semibold tabular" data-testid="judge-figure">
          {kind === "share" ? formatPercent(figure.value, 1) : figure.value.toFixed(2)}
          <span className="ml-1 text-xs font-normal text-arena-muted">n={figure.n}</span>
        </span>
      )}
    </div>
  );
}

/** Rows: what people voted; columns: what the judge said. Shade = share of the row. */
function Confusion({ m }: { m: number[][] }) {
  return (
    <table className="w-full table-fixed border-separate border-spacing-0.5 text-center text-xs tabular" data-testid="judge-confusion">
      <caption className="mb-1 text-left text-xs text-arena-muted">Confusion matrix: rows are the human vote, columns the judge&apos;s verdict.</caption>
      <thead>
        <tr>
          <th className="w-[22%] text-left font-normal text-arena-muted">human ↓ judge →</th>
          {OUTCOME_LABEL.map((l) => (
            <th key={l} className="font-medium">
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {m.map((row, i) => {
          const sum = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={OUTCOME_LABEL[i]}>
              <th className="text-left font-medium">{OUTCOME_LABEL[i]}</th>
              {row.map((c, j) => (
                <td
                  key={j}
                  className={`rounded py-1.5 ${i === j ? "ring-1 ring-arena-win/60" : ""}`}
                  style={{ background: sum ? `color-mix(in oklab, var(--color-arena-accent) ${Math.round((70 * c) / sum)}%, var(--color-arena-raised))` : undefined }}
                  data-testid={`judge-cell-${i}-${j}`}
                >
                  {c}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Board({ title, board, testId, unit }: { title: string; board: JudgeBoard; testId: string; unit: [string, string] }) {
  return (
    <div className="flex min-w-0 flex-col gap-1.5" data-testid={testId}>
      <h4 className="text-xs font-semibold text-arena-muted">
        {title} · {board.votes} {board.votes === 1 ? unit[0] : unit[1]}
      </h4>
      {board.rated.length === 0 ? (
        <p className="text-xs text-arena-warn">No rating is identified by these {unit[1]} yet.</p>
      ) : (
        <table className="w-full table-fixed text-xs tabular">
          <thead className="text-arena-muted">
            <tr>
              <th className="w-8 text-left font-normal">#</th>
              <th className="text-left font-normal">Model</th>
              <th className="w-12 text-right font-normal">Elo</th>
              <th className="w-24 text-right font-normal">95% CI</th>
            </tr>
          </thead>
          <tbody>
            {board.rated.map((r) => (
              <tr key={r.slug} className="border-t border-arena-border">
                <td className="py-1">{r.board > 0 ? `g${r.board + 1}·${r.rank}` : r.rank}</td>
                <td className="truncate py-1" title={r.name}>
                  {r.name}
                </td>
                <td className="py-1 text-right font-medium">{formatElo(r.elo)}</td>
                <td className="py-1 text-right text-arena-muted">
                  {formatElo(r.ciLow)}–{formatElo(r.ciHigh)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {board.unrated.length > 0 && (
        <ul className="flex flex-col gap-0.5 text-xs text-arena-muted">
          {board.unrated.map((u) => (
            <li key={u.slug}>
              <span className="text-arena-text">{u.name}</span>: not rated, {u.missing}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function JudgeAgreement({ g }: { g: JudgeGroup }) {
  const a = g.agreement;
  return (
    <article className="flex flex-col gap-3 rounded-lg border border-arena-border p-3" data-testid="judge-group" data-judge={g.judge.slug} data-mode={g.mode} data-track={g.track}>
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h3 className="text-sm font-semibold break-all">
          {g.judge.name} · {g.mode === "image" ? "images" : "code"} · {g.track === "text" ? "Text → 3D" : "Image → 3D"}
        </h3>
        <span className="text-xs text-arena-muted break-all">
          {a.n} verdicts{g.invalid > 0 ? `, ${g.invalid} invalid (left out)` : ""} · prompt {g.promptVersion}
        </span>
      </header>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
        <FigureCell label="Exact agreement" figure={a.exact} kind="share" help="Share of battles where the judge gave the human's outcome (a, b, tie or both bad)." />
        <FigureCell label="Cohen's κ (4 outcomes)" figure={a.kappa} kind="kappa" help="Agreement beyond what the two sides' own outcome rates give by chance." />
        <FigureCell label="Decisive agreement" figure={a.decisive.agreement} kind="share" help="Battles where both picked a side: share where they picked the same." />
        <FigureCell label="Decisive κ (a vs b)" figure={a.decisive.kappa} kind="kappa" help="Cohen's kappa on the 2x2 table of decisive battles." />
        <FigureCell label="Coverage" figure={a.coverage} kind="share" help="Of the battles people decided, the share the judge decided too." />
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <Confusion m={a.confusion} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Board title="Judge board" board={g.judgeBoard} testId="judge-board" unit={["verdict", "verdicts"]} />
          <Board title="Human board, same battles" board={g.humanBoard} testId="human-board" unit={["vote", "votes"]} />
        </div>
      </div>
    </article>
  );
}
