// /studies/:slug (a saved study) and /studies/run?<query> (ad hoc, the query of GET /api/studies/run): the CAAR
// path with its band, AAR bars, the tests per CAR window, each member's CAR ranked, the members table.
import type { StudyResponse } from '../../src/studies/studyContract';
import { apiRequest } from './api';
import { chartCanvas, drawChart } from './charts/draw';
import { aarConfig, caarConfig, rankedCarConfig } from './charts/studyCharts';
import { byId, el, errorBox, replaceChildren, showFatal } from './dom';
import { membersTable, sortMembers, subgroupsTable, testsTable, windowText, type MemberSort } from './studyTables';

/** The API address of the study on this page ('' for an ad hoc run's query), and its CSV base. */
function studyApiOf(pathname: string, search: string): { json: string; csv: (part: string) => string } {
  const slug = decodeURIComponent(pathname.replace(/^\/studies\//, '').replace(/\/$/, ''));
  if (slug === 'run') return { json: `/api/studies/run${search}`, csv: (part) => `/api/studies/run/${part}.csv${search}` };
  const base = `/api/studies/${encodeURIComponent(slug)}`;
  return { json: base, csv: (part) => `${base}/${part}.csv` };
}

const MODEL_WORDS: Record<StudyResponse['options']['model'], string> = {
  market: 'market model',
  market_adjusted: 'market-adjusted returns',
  constant_mean: 'constant-mean model',
  ff3: 'Fama-French 3-factor model',
  carhart: 'Carhart 4-factor model',
  ff5: 'Fama-French 5-factor model',
};

/** The factors' regions and file vintages of a factor-model study, said wherever the model is shown. */
function factorText(study: StudyResponse): string {
  const f = study.factorModel;
  if (!f) return '';
  const regions = f.regions.map((r) => `${r.region} factors ${r.vintage} (${r.members})`).join(', ');
  return ` · ${regions || 'no factors'}${f.noFactors > 0 ? `, ${f.noFactors} without factors` : ''}`;
}

function render(study: StudyResponse, csv: (part: string) => string): void {
  const { aggregate, members, options } = study;
  const title = study.study?.title ?? 'Ad hoc study';
  document.title = `${title} · Aftershock`;
  const events = [...new Set(members.map((m) => m.event ?? m.date))].join(', ');
  replaceChildren(
    byId('study-head'),
    el('h1', { text: title }),
    el('p', {
      className: 'muted',
      text: `${aggregate.n} of ${members.length} members included · ${events} · window ${windowText(options.window[0], options.window[1])} · ${MODEL_WORDS[options.model] ?? options.model}, ${options.returns} returns${factorText(study)}`,
    }),
    ...aggregate.notes.map((n) => el('p', { className: 'muted', text: n })),
  );
  const caar = chartCanvas('study-caar', 'CAAR in event time with its 95% band');
  replaceChildren(byId('caar-chart'), caar.box);
  drawChart(caar.canvas, caarConfig(aggregate));
  const aar = chartCanvas('study-aar', 'Average abnormal return per day');
  replaceChildren(byId('aar-chart'), aar.box);
  drawChart(aar.canvas, aarConfig(aggregate));
  replaceChildren(byId('tests-table'), testsTable(aggregate.cars));
  // members with a subgroup label are also measured per subgroup: the API's subgroups, each with its CAARs
  const subgroups = byId('subgroups-section');
  subgroups.hidden = study.subgroups.length === 0;
  replaceChildren(
    byId('subgroups-table'),
    study.subgroups.length
      ? subgroupsTable(
          study.subgroups,
          options.cars.map(([from, to]) => ({ from, to })),
        )
      : null,
  );
  const first = options.cars[0];
  if (first) {
    const ranked = chartCanvas('study-ranked', `Each member's CAR ${windowText(first[0], first[1])}, ranked`, 'chart chart-ranked');
    ranked.box.style.height = `${Math.max(160, 28 * members.length + 60)}px`;
    replaceChildren(byId('ranked-chart'), ranked.box);
    drawChart(ranked.canvas, rankedCarConfig(members, first[0], first[1]));
  }
  const sort = byId<HTMLSelectElement>('member-sort');
  const drawMembers = () =>
    replaceChildren(
      byId('members-table'),
      membersTable(
        sortMembers(members, sort.value as MemberSort),
        options.cars.map(([from, to]) => ({ from, to })),
      ),
    );
  sort.onchange = drawMembers;
  drawMembers();
  replaceChildren(
    byId('study-downloads'),
    el('span', { className: 'muted', text: 'Download: ' }),
    el('a', { className: 'button button-quiet', text: 'Members (CSV)', attrs: { href: csv('members'), download: '' } }),
    ' ',
    el('a', { className: 'button button-quiet', text: 'Aggregate (CSV)', attrs: { href: csv('aggregate'), download: '' } }),
  );
}

async function main(): Promise<void> {
  const api = studyApiOf(window.location.pathname, window.location.search);
  try {
    render(await apiRequest<StudyResponse>(api.json), api.csv);
  } catch (err) {
    replaceChildren(byId('study-head'), errorBox('The study could not be run', err));
  }
}

main().catch(showFatal);
