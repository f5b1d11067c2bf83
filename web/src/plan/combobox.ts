/**
 * An accessible autocomplete text field (WAI-ARIA 1.2 combobox with a listbox popup): type a
 * name, alias or code; suggestions come from `suggest`; arrows move, Enter picks, Escape closes.
 * The field keeps what the user typed when nothing is picked: the server resolves names too.
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/combobox/
 */
import { h, uniqueId } from '../dom';
import { nth } from '../invariant';

export interface Suggestion {
  value: string;
  label: string;
  detail: string;
}

export interface Combobox {
  root: HTMLElement;
  input: HTMLInputElement;
  value(): string;
  set(value: string): void;
  setError(message: string | null, candidates?: Suggestion[]): void;
}

export function combobox(opts: {
  label: string;
  name: string;
  placeholder: string;
  required?: boolean;
  /** Text under the label, e.g. a format hint. */
  hint?: string;
  suggest: (text: string, signal: AbortSignal) => Promise<Suggestion[]>;
  onPick?: (s: Suggestion) => void;
}): Combobox {
  const id = uniqueId(opts.name);
  const listId = `${id}-list`;
  const errId = `${id}-error`;
  const input = h('input', {
    id,
    name: opts.name,
    type: 'text',
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    placeholder: opts.placeholder,
    required: opts.required ?? true,
  });
  const list = h('ul', {
    id: listId,
    role: 'listbox',
    class: 'combo-list',
    'aria-label': `${opts.label} suggestions`,
    hidden: true,
  });
  const error = h('div', { id: errId, class: 'field-error', role: 'alert', hidden: true });
  const root = h(
    'div',
    { class: 'field combo' },
    h('label', { for: id }, opts.label),
    opts.hint ? h('span', { class: 'field-hint' }, opts.hint) : null,
    h('div', { class: 'combo-box' }, input, list),
    error,
  );

  let items: Suggestion[] = [];
  let active = -1;
  let ctrl: AbortController | null = null;
  let timer: number | undefined;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i: number) => {
    active = i;
    for (const [k, li] of [...list.children].entries()) li.setAttribute('aria-selected', String(k === i));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', `${listId}-${i}`);
      (list.children[i] as HTMLElement | undefined)?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const pick = (s: Suggestion) => {
    input.value = s.value;
    close();
    api.setError(null);
    opts.onPick?.(s);
  };
  const show = (list_: Suggestion[]) => {
    items = list_;
    list.replaceChildren(
      ...items.map((s, i) =>
        h(
          'li',
          {
            id: `${listId}-${i}`,
            role: 'option',
            'aria-selected': 'false',
            onmousedown: (e: Event) => {
              e.preventDefault();
              pick(s);
            },
          },
          h('span', { class: 'combo-label' }, s.label),
          h('span', { class: 'combo-detail' }, s.detail),
        ),
      ),
    );
    if (items.length === 0 || document.activeElement !== input) return close();
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  };

  input.addEventListener('input', () => {
    api.setError(null);
    window.clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 1) return close();
    timer = window.setTimeout(() => {
      ctrl?.abort();
      ctrl = new AbortController();
      opts.suggest(text, ctrl.signal).then(show, () => undefined);
    }, 120);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && !list.hidden) {
      e.preventDefault();
      highlight(Math.min(items.length - 1, active + 1));
    } else if (e.key === 'ArrowUp' && !list.hidden) {
      e.preventDefault();
      highlight(Math.max(-1, active - 1));
    } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
      e.preventDefault();
      pick(nth(items, active));
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => window.setTimeout(close, 0));

  const api: Combobox = {
    root,
    input,
    value: () => input.value.trim(),
    set(value) {
      input.value = value;
    },
    setError(message, candidates = []) {
      error.replaceChildren();
      if (!message) {
        error.hidden = true;
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
        return;
      }
      error.append(message);
      if (candidates.length) {
        error.append(' Did you mean ');
        candidates.forEach((c, i) => {
          if (i) error.append(i === candidates.length - 1 ? ' or ' : ', ');
          error.append(
            h('button', { type: 'button', class: 'link-button', onclick: () => pick(c) }, `${c.label} (${c.detail})`),
          );
        });
        error.append('?');
      }
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', errId);
    },
  };
  return api;
}
