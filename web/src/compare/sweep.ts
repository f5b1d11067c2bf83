/**
 * "How sure?" in the scenario view: a seeded sweep (POST /api/v1/sweeps) of scenario A with B's
 * value measured in every draw; its runs are jobs on the server's workers. Shows the runs done,
 * then what binds with what probability and the spread of the cost and of B's value.
 */
import { client, unwrap } from '../api/client';
import { h } from '../dom';
import { int, pct } from '../format';
import { bindingRows, type SweepSummary, spread } from './sweep-summary';

export interface SweepHandle {
  el: HTMLElement;
  done: Promise<void>;
}

const POLL_MS = 500;

export function runSweep(
  request: { scenario?: string; compare?: string; demand?: string; draws: number; seed: number },
  name: (id: string) => string,
): SweepHandle {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Sweep: runs done' });
  const line = h('span', { class: 'job-message' }, 'queueing…');
  const out = h('div', {});
  const el = h(
    'div',
    { class: 'job', role: 'status' },
    h('div', { class: 'job-title' }, `How sure: ${request.draws} draws of capacities, dwell, demand and prices`),
    bar,
    h('div', { class: 'job-line' }, line),
    out,
  );
  const done = (async () => {
    const created = await unwrap(client.POST('/api/v1/sweeps', { body: request }), 'Starting the sweep');
    for (;;) {
      const s = await unwrap(
        client.GET('/api/v1/sweeps/{id}', { params: { path: { id: created.id } } }),
        'Checking the sweep',
      );
      const finished = s.runs.succeeded + s.runs.failed + s.runs.cancelled;
      bar.value = s.runs.total ? finished / s.runs.total : 1;
      line.textContent = `${s.status} · ${finished} of ${s.runs.total} runs`;
      if (s.status !== 'queued' && s.status !== 'running') {
        if (!s.summary) throw new Error(`the sweep ${s.status}: ${(s.errors ?? []).join('; ') || 'no run succeeded'}`);
        out.append(...summaryView(s.summary, request.compare, name));
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  done.catch((e: unknown) => {
    el.classList.add('job-failed');
    line.textContent = e instanceof Error ? e.message : String(e);
  });
  return { el, done };
}

function summaryView(s: SweepSummary, compare: string | undefined, name: (id: string) => string): HTMLElement[] {
  const level = s.levels[0];
  if (!level) return [h('p', {}, 'The sweep came back without draws.')];
  const value = level.valueUsd;
  const rows = bindingRows(s, name);
  return [
    h(
      'p',
      {},
      `Generalised cost ${spread(level.objectiveUsd)} a year; unmet demand P90 ${int(level.unmetTeu.p90)} TEU/yr.`,
      value && compare ? ` Value of ${compare} (cost saved a year): ${spread(value)}.` : '',
    ),
    rows.length
      ? h(
          'table',
          { class: 'data' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Capacity'), h('th', { class: 'n' }, 'Binds in'))),
          h(
            'tbody',
            {},
            rows.map((r) => h('tr', {}, h('td', {}, r.name), h('td', { class: 'n' }, pct(r.probability)))),
          ),
        )
      : h('p', {}, 'No capacity binds in any draw.'),
  ];
}
