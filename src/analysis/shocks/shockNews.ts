// The news of a shock (shared/methods/shocks.md section 4): items naming at least one member, published in
// [start - 48 h, end], ranked by the number of members they name, then by nearness to start; the top 5.
// An item that names no symbol at all is general news (the news store's candidate rule, getCandidateNews): it is
// kept, naming 0 members, so ranked after every item that names one (the bundled items name none).

export interface NewsCandidate {
  id: number;
  publishedAt: Date;
  /** the symbols the item names */
  symbols: readonly string[];
}

export interface RankedNews<T extends NewsCandidate> {
  item: T;
  membersNamed: string[];
}

export function rankShockNews<T extends NewsCandidate>(
  items: readonly T[],
  members: readonly string[],
  window: { start: Date; end: Date },
  options: { newsLimit: number; newsLookbackHours: number },
): RankedNews<T>[] {
  const memberSet = new Set(members);
  const from = window.start.getTime() - options.newsLookbackHours * 3_600_000;
  const to = window.end.getTime();
  const start = window.start.getTime();
  return items
    .flatMap((item) => {
      const at = item.publishedAt.getTime();
      if (at < from || at > to) return [];
      const membersNamed = [...new Set(item.symbols.filter((s) => memberSet.has(s)))].sort();
      const general = item.symbols.length === 0;
      return membersNamed.length === 0 && !general ? [] : [{ item, membersNamed }];
    })
    .sort(
      (a, b) =>
        b.membersNamed.length - a.membersNamed.length ||
        Math.abs(a.item.publishedAt.getTime() - start) - Math.abs(b.item.publishedAt.getTime() - start) ||
        a.item.id - b.item.id,
    )
    .slice(0, options.newsLimit);
}
