/**
 * Runs a server job (POST /api/v1/assignments) and shows its progress until it ends: a progress
 * bar with the worker's message, a Cancel button, and the outcome in words. Jobs need an API key
 * with the planner role; without one the caller says so instead of starting.
 */
import { ApiError, client, unwrap } from '../api/client';
import type { Job } from '../api/types';
import { h } from '../dom';
import { pct } from '../format';

export interface JobHandle {
  el: HTMLElement;
  result: Promise<unknown>;
  cancel(): void;
}

const POLL_MS = 400;

export function runJob(kind: string, params: unknown, title: string): JobHandle {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': `${title}: progress` });
  const message = h('span', { class: 'job-message' }, 'queueing…');
  const cancelBtn = h('button', { type: 'button', class: 'secondary small' }, 'Cancel');
  const el = h(
    'div',
    { class: 'job', role: 'status' },
    h('div', { class: 'job-title' }, title),
    bar,
    h('div', { class: 'job-line' }, message, cancelBtn),
  );
  let id: string | null = null;
  let cancelled = false;

  const show = (j: Job) => {
    bar.value = j.progress.fraction;
    bar.setAttribute(
      'aria-valuetext',
      `${pct(j.progress.fraction)}${j.progress.message ? `, ${j.progress.message}` : ''}`,
    );
    const detail = j.progress.message ? ` · ${j.progress.message}` : '';
    message.textContent = `${j.status} · ${pct(j.progress.fraction)}${detail}`;
  };

  const result = (async () => {
    const job = await unwrap(client.POST('/api/v1/assignments', { body: { kind, params } }), `Starting ${title}`);
    id = job.id;
    show(job);
    for (;;) {
      if (cancelled) throw new Error(`${title} was cancelled`);
      await new Promise((r) => setTimeout(r, POLL_MS));
      const j = await unwrap(
        client.GET('/api/v1/assignments/{id}', { params: { path: { id: job.id } } }),
        `Checking ${title}`,
      );
      show(j);
      if (j.status === 'succeeded') return j.result;
      if (j.status === 'failed') throw new Error(`${title} failed: ${j.error ?? 'no reason given'}`);
      if (j.status === 'cancelled') throw new Error(`${title} was cancelled`);
    }
  })();
  result.then(
    () => {
      cancelBtn.remove();
      message.textContent = 'done';
      bar.value = 1;
    },
    (e: unknown) => {
      cancelBtn.remove();
      el.classList.add('job-failed');
      message.textContent = e instanceof Error ? e.message : String(e);
    },
  );
  cancelBtn.addEventListener('click', () => {
    cancelled = true;
    cancelBtn.disabled = true;
    if (id)
      void unwrap(client.DELETE('/api/v1/assignments/{id}', { params: { path: { id } } }), `Cancelling ${title}`).catch(
        (e: unknown) => (message.textContent = e instanceof ApiError ? e.message : String(e)),
      );
  });
  return { el, result, cancel: () => cancelBtn.click() };
}
